"""The admin's user pages: list and search, roles, deactivate and reactivate, a new link."""
import pytest

from lms.auth.views import FAILED_LOGIN
from lms.extensions import db
from lms.models import User
from tests.helpers import PASSWORD, submit
from tests.people.helpers import find_user


@pytest.fixture
def admin(make_user, login, missions):
    user = make_user("admin", email="admin@example.org", name="Ada Admin")
    login(user)
    return user


def post(client, user_id, action, data=None):
    page = f"/admin/users/{user_id}"
    return submit(client, page, f"{page}/{action}", data)


def test_users_are_listed_with_their_details(client, admin, make_user):
    make_user("diplomat", "trainer", email="amina@example.org", name="Amina Khan", mission="EMB-NAI")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "amina@example.org" in html and "Amina Khan" in html and "diplomat, trainer" in html
    assert "EMB-NAI" in html and "never" in html and '<label for="q">' in html
    assert client.get("/admin/users/999").status_code == 404


def test_search_matches_email_name_or_mission(client, admin, make_user):
    make_user("diplomat", email="amina@example.org", name="Amina Khan", mission="EMB-NAI")
    make_user("diplomat", email="bo@example.org", name="Bo Berg", mission="EMB-BER")
    for query, shown, hidden in [("KHAN", "amina@", "bo@"), ("emb-ber", "bo@", "amina@"), ("bo@", "bo@", "amina@")]:
        html = client.get("/admin/users", query_string={"q": query}).get_data(as_text=True)
        assert shown in html and hidden not in html, query
    html = client.get("/admin/users", query_string={"q": "%"}).get_data(as_text=True)
    assert "0 users" in html  # % is a character, not a wildcard


def test_users_are_paged(app, client, admin):
    with app.app_context():
        db.session.add_all(User(email=f"p{i:03}@example.org", name="P") for i in range(60))
        db.session.commit()
    first = client.get("/admin/users").get_data(as_text=True)
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "Page 1 of 2" in first and "p000@" in first and "p060@" not in first
    assert "p059@" in second and "p000@" not in second


def test_change_roles(app, client, admin, make_user):
    user = make_user("diplomat")
    response = post(client, user.id, "roles", {"roles": ["trainer", "coordinator"]})
    assert response.status_code == 302
    assert find_user(app, user.email).roles == {"trainer", "coordinator"}
    page = client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert '<input checked id="roles-1" name="roles" type="checkbox" value="trainer">' in page


def test_at_least_one_known_role(app, client, admin, make_user):
    user = make_user("diplomat")
    response = post(client, user.id, "roles", {})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Choose at least one role." in html and 'id="roles-error"' in html
    assert post(client, user.id, "roles", {"roles": ["king"]}).status_code == 422
    assert find_user(app, user.email).roles == {"diplomat"}


def test_admin_cannot_drop_their_own_admin_role(app, client, admin):
    response = post(client, admin.id, "roles", {"roles": ["diplomat"]})
    assert response.status_code == 422 and "own admin role" in response.get_data(as_text=True)
    assert find_user(app, admin.email).roles == {"admin"}


def test_deactivate_then_login_fails_then_reactivate(app, client, admin, make_user):
    user = make_user("diplomat", email="amina@example.org")
    other = app.test_client()
    assert submit(other, "/login", "/login", {"email": user.email, "password": PASSWORD}).status_code == 302
    assert other.get("/progress").status_code == 200
    assert post(client, user.id, "deactivate").status_code == 302
    assert not find_user(app, user.email).active
    assert "deactivated" in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert other.get("/progress").status_code == 302  # the open session ended
    no_link = post(client, user.id, "link")
    assert no_link.status_code == 302
    assert "Reactivate the account first" in client.get(no_link.headers["Location"]).get_data(as_text=True)
    refused = submit(other, "/login", "/login", {"email": user.email, "password": PASSWORD})
    assert FAILED_LOGIN in refused.get_data(as_text=True)
    assert post(client, user.id, "reactivate").status_code == 302
    assert find_user(app, user.email).active
    fresh = app.test_client()
    assert submit(fresh, "/login", "/login", {"email": user.email, "password": PASSWORD}).status_code == 302


def test_admin_cannot_deactivate_themselves(app, client, admin):
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    assert "cannot deactivate your own account" in page and "/deactivate" not in page
    response = post(client, admin.id, "deactivate")
    assert response.status_code == 302 and find_user(app, admin.email).active
    assert "You cannot deactivate your own account." in client.get(response.headers["Location"]).get_data(as_text=True)


def test_new_link_is_shown_once_and_works(app, client, admin, make_user):
    user = make_user("diplomat")
    response = post(client, user.id, "link")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "shown only this once" in html
    link = html.split('id="new-link" type="text" readonly value="')[1].split('"')[0]
    assert "/set-password/" not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)
    anonymous = app.test_client()
    assert anonymous.get(link.removeprefix("http://localhost")).status_code == 200


def test_actions_need_the_csrf_token(app, client, admin, make_user):
    user = make_user("diplomat")
    for action in ("roles", "deactivate", "reactivate", "link"):
        assert client.post(f"/admin/users/{user.id}/{action}", data={"roles": ["admin"]}).status_code == 400
    assert find_user(app, user.email).roles == {"diplomat"} and find_user(app, user.email).active
