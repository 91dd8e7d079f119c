"""Every route in the URL map has an expected audience, and refuses everyone else.

The routes come from the app's URL map, so a new route without an entry in AUDIENCE
fails here instead of shipping unprotected.
"""
import pytest

from tests.routes import routes

LEARNERS = {"diplomat", "trainer", "admin"}
COORDINATORS = {"coordinator", "admin"}
AUDIENCE = {  # blueprint (or endpoint) -> roles allowed; None means public
    "static": None, "auth.login": None, "ops.healthz": None,
    "auth.logout": {"diplomat", "trainer", "coordinator", "admin"},
    "learn.home": {"diplomat", "trainer", "coordinator", "admin"},
    "learn": LEARNERS, "quizzes": LEARNERS, "reports": COORDINATORS,
    "people.set_password": None, "people": COORDINATORS, "admin": {"admin"},
    "studio": {"trainer", "admin"},
}


def audience(endpoint: str):
    if endpoint in AUDIENCE:
        return AUDIENCE[endpoint]
    blueprint = endpoint.split(".")[0]
    assert blueprint in AUDIENCE, f"route {endpoint} has no expected audience: add it to AUDIENCE"
    return AUDIENCE[blueprint]


ALL_ROUTES = [pytest.param(method, route.url(), route.endpoint, id=f"{method} {route.endpoint}")
              for route in routes() for method in route.methods]
PROTECTED = [p for p in ALL_ROUTES if audience(p.values[2]) is not None]


@pytest.mark.parametrize("method, path, endpoint", PROTECTED)
def test_anonymous_visitors_are_refused(client, quiz_content, method, path, endpoint):
    response = client.open(path, method=method)
    if method == "GET":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code in (400, 302)  # no CSRF token, or sent to sign in
        if response.status_code == 302:
            assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", ["diplomat", "trainer", "coordinator", "admin"])
@pytest.mark.parametrize("method, path, endpoint", [p for p in PROTECTED if p.values[0] == "GET"])
def test_each_role_reaches_only_its_pages(client, quiz_content, make_user, login, role, method, path, endpoint):
    login(make_user(role))
    status = client.open(path, method=method).status_code
    if role in audience(endpoint):
        assert status != 403, (role, path)
    else:
        assert status == 403, (role, path, status)
