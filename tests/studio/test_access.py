"""Every studio address is for trainers and admins: 200 for them, 403 for others, sign-in for visitors."""
import pytest

from lms.models import Lesson
from tests.helpers import csrf_token, sign_out
from tests.studio.helpers import BASICS, COURSE, FIRST_STEPS, STUDIO, revisions_of, row

GET_PAGES = [
    STUDIO, COURSE, COURSE + "edit", BASICS, BASICS + "edit", BASICS + "quiz", BASICS + "assets",
    BASICS + "assets/square.svg", FIRST_STEPS + "edit", FIRST_STEPS + "preview",
    "/studio/lesson/{lesson}/history", "/studio/lesson/{lesson}/diff",
]
POST_ACTIONS = [
    "/studio/courses", COURSE + "modules", BASICS + "lessons", COURSE + "edit", BASICS + "edit", BASICS + "quiz",
    FIRST_STEPS + "edit", BASICS + "assets", "/studio/lesson/{lesson}/move", "/studio/lesson/{lesson}/publish",
    "/studio/lesson/{lesson}/retire", "/studio/lesson/{lesson}/revisions/{revision}/restore",
]


@pytest.fixture
def ids(app, content):
    lesson = row(app, Lesson, "first-steps")
    return {"lesson": lesson.id, "revision": revisions_of(app, "lesson", lesson.id)[0].id}


@pytest.mark.parametrize("role", ["trainer", "admin"])
@pytest.mark.parametrize("url", GET_PAGES)
def test_trainers_and_admins_open_every_page(client, ids, make_user, login, role, url):
    login(make_user(role))
    response = client.get(url.format(**ids))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]


@pytest.mark.parametrize("role", ["diplomat", "coordinator"])
@pytest.mark.parametrize("url", GET_PAGES)
def test_other_roles_are_refused_every_page(client, ids, make_user, login, role, url):
    login(make_user(role))
    assert client.get(url.format(**ids)).status_code == 403


@pytest.mark.parametrize("role", ["diplomat", "coordinator"])
@pytest.mark.parametrize("url", POST_ACTIONS)
def test_other_roles_cannot_post_anything(app, client, ids, make_user, login, role, url):
    login(make_user(role))
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    response = client.post(url.format(**ids), data={"csrf_token": token, "publish": "Publish", "up": "Move up",
                                                    "slug": "x", "title": "X", "summary": "S", "minutes": "3"})
    assert response.status_code == 403
    assert row(app, Lesson, "first-steps").position == 1 and row(app, Lesson, "first-steps").retired_at is None


@pytest.mark.parametrize("url", GET_PAGES)
def test_visitors_are_sent_to_sign_in(client, ids, url):
    response = client.get(url.format(**ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_nav_shows_studio_to_trainers_only(client, content, make_user, login):
    login(make_user("diplomat"))
    assert "/studio/" not in client.get("/").get_data(as_text=True)
    sign_out(client)
    login(make_user("trainer"))
    assert 'href="/studio/"' in client.get("/").get_data(as_text=True)


def test_unknown_pages_and_kinds_are_not_found(client, content, make_user, login):
    login(make_user("trainer"))
    assert client.get("/studio/courses/nope/").status_code == 404
    assert client.get(BASICS.replace("basics", "nope")).status_code == 404
    assert client.get(FIRST_STEPS.replace("first-steps", "nope") + "edit").status_code == 404
    assert client.get("/studio/user/1/history").status_code == 404
    assert client.get("/studio/lesson/9999/history").status_code == 404
    assert client.get(BASICS + "assets/nope.png").status_code == 404
