"""Signing in and out."""
import pytest

from lms.auth.views import FAILED_LOGIN
from lms.extensions import db
from lms.models import User
from tests.helpers import PASSWORD, submit


def test_login_page_has_labelled_fields_and_csrf(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<label for="email">' in html and '<label for="password">' in html
    assert 'name="csrf_token"' in html


def test_login_then_home(client, make_user, content):
    user = make_user("diplomat", name="Amina Khan")
    response = submit(client, "/login", "/login", {"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Welcome, Amina Khan" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("which", ["email", "password"])
def test_wrong_email_and_wrong_password_get_the_same_message(client, make_user, which):
    user = make_user("diplomat")
    data = {"email": user.email, "password": PASSWORD}
    data[which] = "nobody@example.org" if which == "email" else "wrong password here"
    response = submit(client, "/login", "/login", data)
    assert response.status_code == 422
    assert FAILED_LOGIN in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_deactivated_user_cannot_sign_in(app, client, make_user):
    user = make_user("diplomat")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = submit(client, "/login", "/login", {"email": user.email, "password": PASSWORD})
    assert FAILED_LOGIN in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(client, make_user):
    user = make_user("diplomat")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400


def test_bad_email_is_shown_next_to_the_field(client):
    response = submit(client, "/login", "/login", {"email": "not-an-email", "password": "x"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error"' in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize("target, expected", [
    ("/courses/", "/courses/"),
    ("/progress?x=1", "/progress?x=1"),
    ("https://evil.example/", "/"),
    ("//evil.example/", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
    ("", "/"),
])
def test_next_redirects_only_within_the_site(client, make_user, target, expected):
    user = make_user("diplomat")
    response = submit(client, "/login", "/login", {"email": user.email, "password": PASSWORD, "next": target})
    assert response.headers["Location"] == expected


def test_next_from_query_string_is_kept_in_the_form(client):
    html = client.get("/login?next=/progress").get_data(as_text=True)
    assert 'name="next" type="hidden" value="/progress"' in html


def test_logout_is_a_post_and_ends_the_session(client, make_user, login):
    login(make_user("diplomat"))
    assert client.get("/logout").status_code == 405
    response = submit(client, "/", "/logout")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/progress")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_signed_in_user_visiting_login_goes_home(client, make_user, login):
    login(make_user("diplomat"))
    assert client.get("/login").headers["Location"] == "/"
