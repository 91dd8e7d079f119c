"""Role checks, tested directly and on every learner view."""
import pytest

from lms.auth.permissions import can_author, can_learn, can_report
from lms.auth.services import is_safe_next
from lms.auth.session import Guest
from tests.helpers import submit

LEARNER_PAGES = [
    "/courses/",
    "/courses/intro-course/",
    "/courses/intro-course/basics/first-steps",
    "/courses/intro-course/basics/assets/square.svg",
    "/progress",
]


def test_can_learn(make_user):
    assert can_learn(make_user("diplomat"))
    assert can_learn(make_user("trainer"))
    assert can_learn(make_user("admin"))
    assert not can_learn(make_user("coordinator"))
    assert not can_learn(Guest())


@pytest.mark.parametrize(("predicate", "allowed"), [(can_author, {"trainer", "admin"}),
                                                    (can_report, {"coordinator", "admin"})])
def test_can_author_and_can_report(make_user, predicate, allowed):
    for role in ("diplomat", "trainer", "coordinator", "admin"):
        assert predicate(make_user(role)) is (role in allowed), role
    assert not predicate(Guest())


@pytest.mark.parametrize("target", ["/a", "/a/b?c=d"])
def test_is_safe_next_accepts_site_paths(target):
    assert is_safe_next(target)


@pytest.mark.parametrize("target", [None, "", "a", "http://x/", "//x", "/\\x", "https:/x", "/a\nb"])
def test_is_safe_next_refuses_the_rest(target):
    assert not is_safe_next(target)


@pytest.mark.parametrize("url", [*LEARNER_PAGES, "/"])
def test_anonymous_is_redirected_to_login(client, content, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", LEARNER_PAGES)
def test_coordinator_without_learning_role_is_refused(client, content, make_user, login, url):
    login(make_user("coordinator"))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["diplomat", "trainer", "admin"])
@pytest.mark.parametrize("url", LEARNER_PAGES)
def test_learning_roles_are_allowed(client, content, make_user, login, role, url):
    login(make_user(role))
    assert client.get(url).status_code == 200


def test_coordinator_home_is_the_dashboard(client, content, make_user, login):
    login(make_user("coordinator"))
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/reports/"


COMPLETE = "/courses/intro-course/basics/first-steps/complete"


def test_complete_requires_learning_role(client, content, make_user, login):
    login(make_user("coordinator"))
    response = submit(client, "/reports/", COMPLETE)  # a valid CSRF token: only the role stands in the way
    assert response.status_code == 403


def test_complete_without_a_csrf_token_is_refused_even_to_a_learner(client, content, make_user, login):
    login(make_user("diplomat"))
    response = client.post(COMPLETE)
    assert response.status_code == 400
    assert submit(client, LEARNER_PAGES[2], COMPLETE).status_code == 302  # with the token it goes through
