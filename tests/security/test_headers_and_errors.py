"""Security headers on every learner page, the session cookie's flags, and a 500 that reveals nothing."""
import re

import pytest

from tests.helpers import PASSWORD, csrf_token
from tests.quizzes.helpers import QUIZ, start, submit

PAGES = ["/", "/courses/", "/courses/intro-course/", "/courses/intro-course/basics/first-steps",
         "/courses/intro-course/basics/second-steps", "/progress", QUIZ]


def directives(csp: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in csp.split(";") if part.strip()}


def check_headers(response, url):
    assert response.status_code == 200, url
    assert response.mimetype == "text/html", url
    csp = response.headers.get("Content-Security-Policy", "")
    parts = directives(csp)
    script = parts.get("script-src") or parts.get("default-src", "")
    assert script and "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, (url, csp)
    assert "frame-ancestors 'none'" in csp, url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin",
                                                       "strict-origin-when-cross-origin"), url
    assert "no-store" in response.headers.get("Cache-Control", ""), url


def test_https_mode_tells_browsers_to_keep_to_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers  # plain HTTP: a browser would ignore it
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_every_learner_page_has_the_security_headers(client, quiz_content, make_user, login):
    login(make_user("diplomat"))
    for url in PAGES:
        check_headers(client.get(url), url)
    sheet = start(client)
    check_headers(client.get(sheet), sheet)
    assert submit(client, sheet).status_code == 302
    check_headers(client.get(sheet + "/review"), sheet + "/review")


def test_no_page_carries_inline_script(client, quiz_content, make_user, login):
    """With script-src 'self' an inline script would be blocked anyway; none should be shipped."""
    login(make_user("diplomat"))
    for url in PAGES:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url


def _session_cookie(response):
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, "login set no session cookie"
    return [part.strip().lower() for part in cookies[-1].split(";")]


@pytest.mark.parametrize("secure", [False, True])
def test_session_cookie_flags(app, client, make_user, secure):
    app.config["SESSION_COOKIE_SECURE"] = secure
    user = make_user("diplomat")
    page = client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"csrf_token": csrf_token(page), "email": user.email,
                                           "password": PASSWORD})
    assert response.status_code == 302
    flags = _session_cookie(response)
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert ("secure" in flags) is secure


@pytest.fixture
def bare_app(tmp_path, monkeypatch, make_app):
    """Build the app as production does: no test config, settings from the environment only.

    ``bare_app(NAME="value")`` sets those environment variables first.
    """
    for name in ("FLASK_DEBUG", "FLASK_ENV", "SESSION_COOKIE_SECURE", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", "production-like-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bare.sqlite3'}")

    def build(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return make_app()
    return build


def test_debug_is_off_and_secure_cookie_follows_the_environment(bare_app):
    app = bare_app()
    assert app.debug is False and app.config["DEBUG"] is False and app.testing is False
    assert app.config["SECRET_KEY"] == "production-like-secret"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert bare_app(SESSION_COOKIE_SECURE="1").config["SESSION_COOKIE_SECURE"] is True


SECRET_MESSAGE = "boom-7f3a secret-db-password at /srv/lms/private_config.py"


def _assert_generic_500(response):
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    for leak in ("Traceback", "RuntimeError", "boom-7f3a", "secret-db-password", "private_config", ".py",
                 "/srv/", "/work/", 'File "', "werkzeug"):
        assert leak not in body, leak
    assert not re.search(r"line \d+", body)
    check = response.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in check


def test_a_crashing_view_shows_the_generic_error_page(app, client, quiz_content, make_user, login):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, where TESTING is off

    def crash(*_args, **_kwargs):
        raise RuntimeError(SECRET_MESSAGE)

    login(make_user("diplomat"))
    app.view_functions["learn.courses"] = crash
    _assert_generic_500(client.get("/courses/"))
    assert client.get("/progress").status_code == 200  # the app keeps working


def test_a_crash_on_a_production_app_shows_the_generic_error_page(bare_app):
    app = bare_app()
    from flask import Blueprint
    crashing = Blueprint("crashing", __name__)

    @crashing.route("/crash-for-test")
    def crash():
        raise RuntimeError(SECRET_MESSAGE)

    app.register_blueprint(crashing)  # before the first request, as Flask requires
    _assert_generic_500(app.test_client().get("/crash-for-test"))


@pytest.mark.parametrize("url", ["/reports/learners/99999999999999999999", "/reports/learners/2147483648",
                                 "/reports/quizzes/99999999999999999999", "/reports/regions/Eu%00rope",
                                 "/reports/missions/EMB%00"])
def test_ids_the_database_cannot_hold_and_nul_in_a_path_are_no_such_page(client, org, coordinator, login, url):
    login(coordinator)
    assert client.get(url).status_code == 404


def test_a_date_past_the_calendar_is_refused_next_to_its_field(client, org, coordinator, login):
    login(coordinator)
    response = client.get("/reports/?date_to=9999-12-31")
    assert response.status_code == 200
    assert "Give a date from 1970-01-01 to 2999-12-31." in response.get_data(as_text=True)
    assert 'value="9999-12-31"' in response.get_data(as_text=True)  # what was typed is kept
