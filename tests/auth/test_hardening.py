"""Login throttling, session lifetimes, the password rule and safe security logs."""
import logging
import time

import pytest
import redis

from lms.auth.session import seen_step
from lms.auth.views import FAILED_LOGIN
from lms.extensions import db
from lms.logging import clean
from lms.models import User
from lms.passwords import password_problem
from tests.helpers import PASSWORD, csrf_token, sign_out


def attempt(client, email, password, address="10.0.0.1"):
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})


def test_account_and_address_limit_refuses_the_sixth_failure_in_a_minute(client, make_user):
    user = make_user()
    statuses = [attempt(client, user.email, "wrong password here").status_code for _ in range(6)]
    assert statuses == [422] * 5 + [429]
    assert "Too many attempts" in attempt(client, user.email, PASSWORD).get_data(as_text=True)


def test_another_address_is_not_blocked_by_an_attack_on_the_same_account(app, make_user):
    user = make_user()
    attacker, diplomat = app.test_client(), app.test_client()
    for _ in range(6):
        attempt(attacker, user.email, "wrong password here", "203.0.113.9")
    assert attempt(diplomat, user.email, PASSWORD, "198.51.100.7").status_code == 302


def test_known_device_is_exempt_from_the_account_wide_limit(app, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per hour"
    user = make_user()
    diplomat = app.test_client()
    assert attempt(diplomat, user.email, PASSWORD, "198.51.100.7").status_code == 302  # device now known
    sign_out(diplomat)
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
        attempt(app.test_client(), user.email, "wrong password here", address)
    assert attempt(app.test_client(), user.email, PASSWORD, "203.0.113.5").status_code == 429
    assert attempt(diplomat, user.email, PASSWORD, "198.51.100.7").status_code == 302


def test_successful_sign_ins_are_not_counted(client, make_user):
    user = make_user()
    for _ in range(7):
        assert attempt(client, user.email, PASSWORD).status_code == 302
        sign_out(client)


def test_unknown_and_known_emails_are_limited_alike(client, make_user):
    user = make_user()
    known = [attempt(client, user.email, "wrong password here").status_code for _ in range(6)]
    unknown = [attempt(client, "nobody@example.org", "wrong password here").status_code for _ in range(6)]
    assert known == unknown


@pytest.mark.parametrize("limit, seconds_ago", [("SESSION_IDLE_MINUTES", 121 * 60), ("SESSION_MAX_HOURS", 13 * 3600)])
def test_sessions_end_after_idle_and_absolute_limits(client, content, make_user, login, limit, seconds_ago):
    login(make_user())
    assert client.get("/courses/").status_code == 200
    with client.session_transaction() as session:
        key = "seen_at" if limit == "SESSION_IDLE_MINUTES" else "signed_in_at"
        session[key] = int(time.time()) - seconds_ago
    response = client.get("/courses/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.get("/courses/").status_code == 302  # really signed out


def test_seen_at_moves_in_steps_so_most_pages_send_no_cookie(app, client, content, make_user, login):
    login(make_user())
    step = seen_step(app.config["SESSION_IDLE_MINUTES"])
    assert step == 12 * 60  # a tenth of the default two hours
    client.get("/courses/")  # the session's first page gives it its CSRF token: a new cookie
    for ago, renewed in ((step - 5, False), (step + 5, True)):
        with client.session_transaction() as session:
            session["seen_at"] = int(time.time()) - ago
        response = client.get("/courses/")
        assert response.status_code == 200 and ("Set-Cookie" in response.headers) is renewed
        with client.session_transaction() as session:
            assert (session["seen_at"] >= int(time.time()) - 5) is renewed


def test_session_cookies_follow_the_secret_key_and_its_fallbacks(app, client, content, make_user, login):
    login(make_user())
    assert client.get("/courses/").status_code == 200
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = client.get_cookie(name).value
    old_key, app.secret_key = app.secret_key, "a new key, rotated after a leak"
    assert client.get("/courses/").status_code == 302  # signed with the old key: no longer a session
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]  # a rotation that keeps the old key for a while
    client.set_cookie(name, cookie)
    assert client.get("/courses/").status_code == 200


def test_session_is_renewed_at_sign_in(client, make_user, login):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(make_user())
    with client.session_transaction() as session:
        assert "planted" not in session


def test_deactivation_ends_an_open_session(app, client, content, make_user, login):
    user = make_user()
    login(user)
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/courses/").status_code == 302


@pytest.mark.parametrize("password, refused", [
    ("short", True), ("password1234", True), ("Password1234!", True), ("qwertyuiop12", True),
    ("welcome2026!", True), ("aaaaaaaaaaaaaa", True), ("amina.khan-secret", True),
    ("1234567890123", True), ("!@#$%^&*()1234", True), ("amina khan 1990", True), ("Khan-Amina-Khan", True),
    ("correct horse battery staple", False), ("tea at the residence at five", False),
])
def test_password_rule(password, refused):
    assert (password_problem(password, "amina.khan@example.org", "Amina Khan") is not None) is refused


def test_the_person_s_own_name_makes_a_password_easy_to_guess():
    assert password_problem("okonkwongozi", "someone@example.org", "Someone Else") is None
    assert "too easy to guess" in password_problem("okonkwongozi", "n.okonkwo@example.org", "Ngozi Okonkwo")
    assert "your name" in password_problem("Ngozi.Okonkwo.1975", "no@example.org", "Ngozi Okonkwo")


def test_a_refused_password_says_what_makes_it_weak():
    problem = password_problem("1234567890123")
    assert problem.startswith("This password is too easy to guess.") and "common" in problem


def test_failed_login_is_logged_with_user_route_and_address(client, caplog):
    with caplog.at_level(logging.WARNING):
        attempt(client, "evil@example.org", "x" * 12)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("login failed")]
    assert lines == ["login failed user=anonymous route=/login ip=10.0.0.1 email=evil@example.org"]


def test_log_values_cannot_start_a_new_line():
    assert clean("x\nFAKE login succeeded\r") == "x\\x0aFAKE login succeeded\\x0d"


def test_refused_access_is_logged(client, content, make_user, login, caplog):
    user = make_user("coordinator")
    login(user)
    with caplog.at_level(logging.WARNING):
        assert client.get("/courses/").status_code == 403
    assert any(f"access refused user={user.id} route=/courses/" in r.getMessage() for r in caplog.records)


def test_failed_login_message_is_the_same_for_everyone(client, make_user):
    user = make_user()
    wrong_password = attempt(client, user.email, "wrong password here", "10.0.0.2").get_data(as_text=True)
    no_account = attempt(client, "nobody@example.org", "wrong password here", "10.0.0.3").get_data(as_text=True)
    assert FAILED_LOGIN in wrong_password and FAILED_LOGIN in no_account


def test_limits_are_shared_through_redis_by_every_worker(app, make_user, make_app, redis_keys):
    redis_url, prefix = redis_keys
    user = make_user()
    config = {key: app.config[key] for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "PASSWORD_HASH_METHOD")}
    config.update(TESTING=True, RATELIMIT_STORAGE_URI=redis_url, RATELIMIT_KEY_PREFIX=prefix)
    workers = [make_app(config) for _ in range(2)]
    statuses = [attempt(workers[n % 2].test_client(), user.email, "wrong password here").status_code
                for n in range(6)]
    assert statuses == [422] * 5 + [429]
    stored = redis.Redis.from_url(redis_url).keys(f"*{prefix}*{user.email}*")
    assert stored, "the counters should live in Redis, where every worker and host sees them"


def test_reactivation_does_not_bring_back_an_old_session(app, client, content, make_user, login):
    from lms.people.manage import deactivate, reactivate
    admin, user = make_user("admin"), make_user()
    login(user)
    with app.app_context():
        deactivate(db.session.get(User, admin.id), db.session.get(User, user.id))
        reactivate(db.session.get(User, user.id))
        db.session.commit()
    assert client.get("/courses/").status_code == 302
