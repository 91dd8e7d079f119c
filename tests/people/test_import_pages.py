"""The import pages: upload, preview, confirm (with CSRF), result."""
import base64
import os

import pytest
from itsdangerous import URLSafeTimedSerializer

from lms.people.carry import SALT, sign_upload
from lms.people.permissions import REFUSED_ACCOUNT
from tests.helpers import csrf_token, sign_out
from tests.people.helpers import HEADER, find_user, payload_of

GOOD = HEADER + "amina@example.org,Amina Khan,EMB-NAI,Spring,\n"


@pytest.fixture
def coordinator(make_user, login, missions):
    user = make_user("coordinator")
    login(user)
    return user


def confirm(client, preview_html: str, **overrides):
    data = {"csrf_token": csrf_token(preview_html), "payload": payload_of(preview_html), **overrides}
    return client.post("/people/import/confirm", data=data)


def test_upload_preview_confirm_result(app, client, coordinator, upload, counts):
    form = client.get("/people/import").get_data(as_text=True)
    assert '<label for="file">' in form and 'type="file"' in form and 'enctype="multipart/form-data"' in form
    before = counts()
    preview = upload(GOOD)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Accounts to create" in html and "amina@example.org" in html
    assert "<li>Spring</li>" in html and counts() == before  # the preview writes nothing
    assert "multipart" not in html  # the confirm form is url-encoded (see the large-file test)
    done = confirm(client, html)
    assert done.status_code == 302 and done.headers["Location"] == "/people/import/done"
    result = client.get("/people/import/done").get_data(as_text=True)
    assert "1</strong> account created" in result and "New cohorts: Spring" in result
    assert "Download their set-password links" in result
    assert find_user(app, "amina@example.org").name == "Amina Khan"
    assert counts()["User"] == before["User"] + 1 and counts()["PasswordToken"] == 0  # links come on request
    assert client.get("/people/import/done").status_code == 302  # the result is shown once


def test_preview_lists_changes_to_existing_accounts(client, coordinator, upload, make_user):
    make_user("diplomat", email="bo@example.org", name="Bo", mission="EMB-NAI")
    html = upload(HEADER + "BO@example.org,Bo Berg,EMB-NAI,,\n").get_data(as_text=True)
    assert "Accounts to change" in html and "name: Bo → Bo Berg" in html


def test_problems_are_shown_by_row_with_no_confirm_button(client, coordinator, upload, counts):
    before = counts()
    response = upload(HEADER + "ok@example.org,Ok,EMB-NAI,,\nbad,X,EMB-NAI,,\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<tr><td>3</td><td>bad email &#39;bad&#39;" in html
    assert 'name="payload"' not in html and 'enctype="multipart/form-data"' in html  # upload again instead
    assert counts() == before


def test_form_errors_are_shown_next_to_the_file_field(client, coordinator, upload):
    page = client.get("/people/import").get_data(as_text=True)
    response = client.post("/people/import", data={"csrf_token": csrf_token(page)},
                           content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="file-error"' in html and "Choose a CSV file." in html
    response = upload(GOOD, filename="people.xlsx")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="file-error"' in html and "Choose a .csv file." in html


def test_upload_and_confirm_need_the_csrf_token(client, coordinator, upload, counts):
    import io
    refused = client.post("/people/import", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(GOOD.encode()), "people.csv")})
    assert refused.status_code == 400
    html = upload(GOOD).get_data(as_text=True)
    before = counts()
    assert confirm(client, html, csrf_token="").status_code == 400
    assert counts() == before


def test_a_tampered_or_someone_elses_preview_imports_nothing(client, coordinator, upload, make_user, login, counts):
    other = make_user("coordinator")
    html = upload(GOOD).get_data(as_text=True)
    forged = URLSafeTimedSerializer("another key", salt=SALT).dumps({"user": coordinator.id, "csv": GOOD, "digest": ""})
    before = counts()
    response = confirm(client, html, payload=forged)
    assert response.status_code == 302 and response.headers["Location"] == "/people/import"
    assert "could not be read" in client.get("/people/import").get_data(as_text=True)
    sign_out(client)
    login(other)
    page = client.get("/people/import").get_data(as_text=True)
    response = client.post("/people/import/confirm", data={"csrf_token": csrf_token(page), "payload": payload_of(html)})
    assert response.status_code == 302 and "could not be read" in client.get("/people/import").get_data(as_text=True)
    assert counts() == before


def test_changes_between_preview_and_confirm_show_a_new_preview(client, coordinator, upload, make_user, counts):
    html = upload(GOOD).get_data(as_text=True)
    make_user("diplomat", email="amina@example.org", name="Someone", mission="EMB-NAI")
    before = counts()
    response = confirm(client, html)
    new_html = response.get_data(as_text=True)
    assert response.status_code == 200 and "changed since your preview" in new_html
    assert "name: Someone → Amina Khan" in new_html and counts() == before
    assert confirm(client, new_html).status_code == 302


def test_region_scoped_coordinator_is_refused_other_regions(client, scoped_coordinator, login, upload, counts):
    login(scoped_coordinator)
    before = counts()
    response = upload(HEADER + "a@example.org,A,EMB-NAI,,\nb@example.org,B,PMI-NYC,,\n")
    assert response.status_code == 422
    assert "mission PMI-NYC is in Americas, outside your regions (Africa)" in response.get_data(as_text=True)
    assert counts() == before


def test_a_large_file_survives_the_trip_through_the_confirm_form(app, client, coordinator, counts):
    # An incompressible file signed to well over Werkzeug's 500 kB multipart field limit still
    # reaches the confirm view (url-encoded), which re-checks it and shows its problems.
    rows = "".join(f"u{i}@example.org,{base64.b64encode(os.urandom(75_000)).decode()},EMB-NAI,,\n" for i in range(6))
    with app.test_request_context():
        payload = sign_upload(HEADER + rows, coordinator.id, "x")
    assert len(payload) > 600_000
    page = client.get("/people/import").get_data(as_text=True)
    response = client.post("/people/import/confirm", data={"csrf_token": csrf_token(page), "payload": payload})
    assert response.status_code == 422 and "name longer than 200 characters" in response.get_data(as_text=True)


def test_out_of_region_accounts_are_refused_alike_whatever_they_are(client, scoped_coordinator, login, upload,
                                                                   make_user, counts):
    """A region-limited coordinator learns only the row number: not whether the account is a coordinator or admin."""
    make_user("diplomat", email="dip@example.org", name="Dip", mission="EMB-BER")
    make_user("coordinator", email="boss@example.org", name="Boss", mission="EMB-BER")
    make_user("admin", email="root@example.org", name="Root", mission="PMI-NYC")
    login(scoped_coordinator)
    before = counts()
    response = upload(HEADER + "dip@example.org,D,EMB-NAI,,\nboss@example.org,B,EMB-NAI,,\n"
                      "root@example.org,R,EMB-NAI,,\n")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and counts() == before
    assert html.count(REFUSED_ACCOUNT) == 3
    for row in (2, 3, 4):
        assert f">{row}<" in html
    for disclosure in ("coordinator or admin", "Europe", "Americas", "EMB-BER", "PMI-NYC", "Boss", "Root"):
        assert disclosure not in html.split("<main")[1], disclosure
