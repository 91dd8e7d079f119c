"""Every route in the URL map refuses visitors who are not signed in (new routes cannot be forgotten)."""
import pytest

from lms import create_app

PUBLIC = {"static", "auth.login", "ops.healthz"}
SAMPLE_VALUES = {"course_slug": "intro-course", "module_slug": "basics", "lesson_slug": "first-steps",
                 "filename": "square.svg", "attempt_id": 1}


def routes():
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(SAMPLE_VALUES[name])).replace(f"<{name}>", str(SAMPLE_VALUES[name]))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield pytest.param(method, path, id=f"{method} {rule.endpoint}")


@pytest.mark.parametrize("method, path", list(routes()))
def test_anonymous_visitors_are_refused(client, quiz_content, method, path):
    response = client.open(path, method=method)
    if method == "GET":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code in (400, 302)  # no CSRF token, or sent to sign in
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("method, path", [p.values for p in routes() if p.values[0] == "GET"])
def test_signed_in_user_without_a_role_for_the_page_is_refused(client, quiz_content, make_user, login, method, path):
    login(make_user("coordinator"))
    response = client.open(path, method=method)
    assert response.status_code in (403, 200), path
    if response.status_code == 200:
        assert path == "/"  # home explains which pages the account can use
