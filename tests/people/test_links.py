"""Set-password links: single use, expiring, tamper-proof; handed out as CSV or by email."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Cohort, PasswordToken, User
from lms.models.base import utcnow
from lms.people import tokens
from lms.people.tokens import issue_link
from tests.helpers import csrf_token, submit
from tests.people.helpers import HEADER, find_user

from .test_import_pages import GOOD, confirm

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def newcomer(app, make_user, missions):
    """A diplomat in Nairobi who has no password yet."""
    user = make_user("diplomat", email="new@example.org", name="Nia New", mission="EMB-NAI")
    with app.app_context():
        db.session.get(User, user.id).password_hash = None
        db.session.commit()
    return user


def link_for(app, user) -> str:
    with app.app_context():
        token = issue_link(db.session.get(User, user.id))
        db.session.commit()
    return f"/set-password/{token}"


def choose(client, url, password=NEW_PASSWORD, repeat=None):
    return submit(client, url, url, {"password": password, "confirm": repeat or password})


def test_link_sets_the_password_once(app, client, newcomer):
    url = link_for(app, newcomer)
    page = client.get(url)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "new@example.org" in html
    assert '<label for="password">' in html and '<label for="confirm">' in html
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    done = choose(client, url)
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert "Your password is set" in client.get("/login").get_data(as_text=True)
    assert find_user(app, "new@example.org").check_password(NEW_PASSWORD)
    again = client.get(url)
    assert again.status_code == 410 and "cannot be used" in again.get_data(as_text=True)
    fresh = client.get("/login").get_data(as_text=True)  # a valid CSRF token: only the link is refused
    second = client.post(url, data={"csrf_token": csrf_token(fresh), "password": "x" * 20, "confirm": "x" * 20})
    assert second.status_code == 410 and find_user(app, "new@example.org").check_password(NEW_PASSWORD)
    response = submit(client, "/login", "/login", {"email": "new@example.org", "password": NEW_PASSWORD})
    assert response.status_code == 302


def test_a_racing_second_use_is_refused_by_the_database(app, newcomer, monkeypatch):
    signed = link_for(app, newcomer).rsplit("/", 1)[1]
    with app.app_context():
        seen_by_the_other_request = tokens.check_link(signed)  # checked before the first use committed
        tokens.use_link(signed, NEW_PASSWORD)
        db.session.commit()
        monkeypatch.setattr(tokens, "check_link", lambda _signed: seen_by_the_other_request)
        with pytest.raises(tokens.InvalidLink):
            tokens.use_link(signed, "the other request's password")
        db.session.rollback()
    assert find_user(app, "new@example.org").check_password(NEW_PASSWORD)


def test_bad_passwords_are_shown_next_to_the_field(app, client, newcomer):
    url = link_for(app, newcomer)
    for password, repeat, message in [
        ("short", "short", "at least 12 characters"),
        ("1234567890123", "1234567890123", "too easy to guess"),
        ("nia new nia new", "nia new nia new", "your name"),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "not the same"),
        ("", "", "Choose a password."),
    ]:
        response = choose(client, url, password, repeat)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html and 'aria-invalid="true"' in html, message
        assert not password or f'value="{password}"' not in html  # what was typed is never sent back
    assert find_user(app, "new@example.org").password_hash is None
    assert client.get(url).status_code == 200  # the link still works


def test_expired_link_is_refused(app, client, newcomer):
    url = link_for(app, newcomer)
    with app.app_context():
        db.session.scalar(select(PasswordToken)).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert client.get(url).status_code == 410
    page = client.get("/login").get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(page), "password": NEW_PASSWORD,
                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 410 and find_user(app, "new@example.org").password_hash is None


def test_only_a_hash_is_stored_and_the_lifetime_comes_from_config(app, newcomer):
    app.config["PASSWORD_LINK_DAYS"] = 2
    url = link_for(app, newcomer)
    with app.app_context():
        token = db.session.scalar(select(PasswordToken))
        expires_at = token.expires_at
    assert len(token.secret_hash) == 64 and token.secret_hash not in url and token.used_at is None
    lifetime = expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)
    assert timedelta(days=1, hours=23) < lifetime <= timedelta(days=2)


def _flip_signature(url: str) -> str:
    # The first character of the base64 signature carries six whole bits (the last one may be padding).
    head, signature = url.rsplit(".", 1)
    return f"{head}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"


def test_tampered_link_is_refused(app, client, newcomer):
    url = link_for(app, newcomer)
    for tampered in [
        _flip_signature(url),
        url.replace("/set-password/", "/set-password/x"),  # payload changed
        "/set-password/not-a-token",
    ]:
        response = client.get(tampered)
        assert response.status_code == 400 and "cannot be used" in response.get_data(as_text=True), tampered


def test_links_to_a_deleted_token_or_a_deactivated_account_are_refused(app, client, newcomer, make_user):
    url = link_for(app, newcomer)
    with app.app_context():
        db.session.delete(db.session.scalar(select(PasswordToken)))
        db.session.commit()
    response = client.get(url)
    assert response.status_code == 410 and "new@example.org" not in response.get_data(as_text=True)
    url = link_for(app, newcomer)
    assert client.get(url).status_code == 200
    with app.app_context():
        db.session.get(User, newcomer.id).active = False
        db.session.commit()
    assert client.get(url).status_code == 410


def test_issuing_a_new_link_invalidates_the_older_one(app, client, newcomer):
    old, new = link_for(app, newcomer), link_for(app, newcomer)
    assert client.get(old).status_code == 410
    assert client.get(new).status_code == 200


def test_using_a_link_signs_out_whoever_was_signed_in(app, client, newcomer, make_user, login):
    login(make_user("admin"))
    assert choose(client, link_for(app, newcomer)).status_code == 302
    assert client.get("/people/").status_code == 302


# --- handing out links -------------------------------------------------------------------------


def download(client, cohort="0"):
    return submit(client, "/people/links", "/people/links", {"cohort": cohort})


def test_links_csv_lists_password_less_accounts_in_scope(app, client, newcomer, make_user, login):
    make_user("diplomat", email="has.password@example.org", mission="EMB-NAI")
    old = link_for(app, newcomer)
    login(make_user("coordinator"))
    html = client.get("/people/links").get_data(as_text=True)
    assert "issues new links" in html and "stops working" in html and "Download the links (CSV)" in html
    response = download(client)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"] and response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["email", "name", "link"] and [row[:2] for row in rows[1:]] == [["new@example.org", "Nia New"]]
    assert rows[1][2].startswith("http://localhost/set-password/")
    assert client.get(old).status_code == 410  # the download replaced the older link
    assert client.get(rows[1][2].removeprefix("http://localhost")).status_code == 200


def test_links_csv_respects_the_coordinators_regions(app, client, make_user, login, scoped_coordinator):
    for email, mission in [("nai@example.org", "EMB-NAI"), ("ber@example.org", "EMB-BER")]:
        user = make_user("diplomat", email=email, mission=mission)
        with app.app_context():
            db.session.get(User, user.id).password_hash = None
            db.session.commit()
    login(scoped_coordinator)
    rows = list(csv.reader(io.StringIO(download(client).get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == ["nai@example.org"]


def test_links_csv_neutralises_formulas(app, client, make_user, login, missions):
    # One account per dangerous first character (the pure function has one test per character too).
    firsts = ["=", "+", "-", "@", "\t", "\r"]
    for i, first in enumerate(firsts):
        user = make_user("diplomat", email=f"f{i}@example.org", mission="EMB-NAI")
        with app.app_context():
            account = db.session.get(User, user.id)
            account.password_hash, account.name = None, first + "cmd|' /C calc'!A0"
            db.session.commit()
    login(make_user("admin"))
    rows = list(csv.reader(io.StringIO(download(client).get_data(as_text=True))))
    assert [row[1] for row in rows[1:]] == ["'" + first + "cmd|' /C calc'!A0" for first in firsts]


def test_links_can_be_limited_to_a_cohort(app, client, make_user, login, missions, upload):
    login(make_user("admin"))
    html = upload(HEADER + "a@example.org,A,EMB-NAI,Spring,\nb@example.org,B,EMB-NAI,,\n").get_data(as_text=True)
    assert confirm(client, html).status_code == 302
    page = client.get("/people/links").get_data(as_text=True)
    assert "Cohort: Spring" in page
    with app.app_context():
        cohort_id = db.session.scalar(select(Cohort.id))
    rows = list(csv.reader(io.StringIO(download(client, str(cohort_id)).get_data(as_text=True))))
    assert [row[0] for row in rows[1:]] == ["a@example.org"]


def test_links_are_queued_and_the_worker_emails_them(mailing_app, client, newcomer, make_user, login, mail_server):
    login(make_user("coordinator"))
    assert "Email the links" in client.get("/people/links").get_data(as_text=True)
    response = download(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Set-password links for 1 account were queued for email" in html
    [message] = mail_server.received  # the tests' queue runs each job at once; production's worker does it
    assert message["To"] == "Nia New <new@example.org>" and message["From"] == "Academy <academy@example.gov>"
    link = next(line for line in message.get_content().splitlines() if "/set-password/" in line).strip()
    assert client.get(link.removeprefix("http://localhost")).status_code == 200


def test_refused_recipients_show_as_failed_in_the_outbox(mailing_app, client, newcomer, make_user, login,
                                                        mail_server):
    mail_server.refuse = {"new@example.org"}
    login(make_user("admin"))
    assert "queued for email" in download(client).get_data(as_text=True)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "0 queued, 1 failed, 0 sent" in page and "550 no such mailbox" in page and "new@example.org" in page
    assert not mail_server.received


def test_import_queues_links_for_new_accounts(mailing_app, client, make_user, login, missions, upload, mail_server):
    login(make_user("coordinator"))
    assert confirm(client, upload(GOOD).get_data(as_text=True)).status_code == 302
    done = client.get("/people/import/done").get_data(as_text=True)
    assert "Set-password links for 1 new account were queued" in done
    assert [m["To"] for m in mail_server.received] == ["Amina Khan <amina@example.org>"]


def test_import_with_the_queue_down_says_the_links_wait_in_the_outbox(mailing_app, client, make_user, login, missions,
                                                                       upload, closed_port):
    mailing_app.config.update(REDIS_URL=f"redis://127.0.0.1:{closed_port}/0", JOBS_IMMEDIATE=False)  # Redis down
    login(make_user("coordinator"))
    assert confirm(client, upload(GOOD).get_data(as_text=True)).status_code == 302
    done = client.get("/people/import/done").get_data(as_text=True)
    assert "Set-password links for 1 new account were queued" in done
    assert "The job queue cannot be reached just now" in done
