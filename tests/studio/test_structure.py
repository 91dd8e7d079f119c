"""Reorder, retire and publish; drafts stay invisible to learners everywhere they could show."""
import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Lesson, LessonProgress, Module
from tests.helpers import csrf_token, sign_out, submit
from tests.studio.helpers import BASICS, COURSE, row

PRACTICE = COURSE + "modules/practice/"


def progress_rows(app) -> list[tuple]:
    with app.app_context():
        return sorted(db.session.execute(select(LessonProgress.user_id, LessonProgress.lesson_id,
                                                LessonProgress.viewed_at, LessonProgress.completed_at)).all())


@pytest.fixture
def learner_progress(app, client, content, make_user, login):
    """A diplomat who completed 'first-steps' and viewed 'second-steps'; then a trainer signs in on ``client``."""
    diplomat = make_user("diplomat")
    login(diplomat)
    page = client.get("/courses/intro-course/basics/first-steps").get_data(as_text=True)
    client.post("/courses/intro-course/basics/first-steps/complete", data={"csrf_token": csrf_token(page)})
    client.get("/courses/intro-course/basics/second-steps")
    sign_out(client)
    login(make_user("trainer", name="Tess Trainer"))
    rows = progress_rows(app)
    assert len(rows) == 2 and rows[0][3] is not None
    return diplomat


def test_reorder_lessons_keeps_progress(app, client, learner_progress):
    first = row(app, Lesson, "first-steps")
    response = submit(client, BASICS, f"/studio/lesson/{first.id}/move", {"down": "Move down"})
    assert response.status_code == 302 and response.headers["Location"] == BASICS + "#lesson-first-steps"
    moved, other = row(app, Lesson, "first-steps"), row(app, Lesson, "second-steps")
    assert (moved.position, moved.filename) == (2, "02-first-steps.md")
    assert (other.position, other.filename) == (1, "01-second-steps.md")
    assert progress_rows(app) == progress_rows(app) and len(progress_rows(app)) == 2
    before = progress_rows(app)
    submit(client, BASICS, f"/studio/lesson/{first.id}/move", {"up": "Move up"})
    assert row(app, Lesson, "first-steps").position == 1
    assert progress_rows(app) == before


def test_reorder_modules(app, client, content, trainer):
    practice = row(app, Module, "practice")
    submit(client, COURSE, f"/studio/module/{practice.id}/move", {"up": "Move up"})
    assert row(app, Module, "practice").dirname == "01-practice" and row(app, Module, "basics").position == 2
    page = client.get(COURSE).get_data(as_text=True)
    assert page.index('id="module-practice"') < page.index('id="module-basics"')


def test_retire_hides_from_learners_and_keeps_progress(app, client, learner_progress, make_user, login):
    before = progress_rows(app)
    first = row(app, Lesson, "first-steps")
    response = submit(client, BASICS, f"/studio/lesson/{first.id}/retire", {})
    assert response.status_code == 302
    assert row(app, Lesson, "first-steps").retired_at is not None
    assert progress_rows(app) == before
    page = client.get(BASICS).get_data(as_text=True)
    assert "Retired lessons" in page and "badge-retired" in page
    sign_out(client)
    login(learner_progress)
    assert client.get("/courses/intro-course/basics/first-steps").status_code == 404
    assert "First steps" not in client.get("/courses/intro-course/").get_data(as_text=True)


def test_retired_rows_have_no_buttons_that_work(app, client, content, trainer):
    first = row(app, Lesson, "first-steps")
    submit(client, BASICS, f"/studio/lesson/{first.id}/retire", {})
    assert submit(client, BASICS, f"/studio/lesson/{first.id}/move", {"up": "Move up"}).status_code == 404
    assert submit(client, BASICS, f"/studio/lesson/{first.id}/publish", {"publish": "Publish"}).status_code == 404


def test_publish_is_refused_with_every_problem(app, client, content, trainer):
    submit(client, COURSE, COURSE + "modules", {"slug": "crisis", "title": "Crisis", "summary": "S."})
    crisis = row(app, Module, "crisis")
    empty = submit(client, COURSE, f"/studio/module/{crisis.id}/publish", {"publish": "Publish"})
    assert empty.status_code == 422
    problem = "courses/intro-course/03-crisis/module.md:1: a module needs at least one lesson"
    assert problem in empty.get_data(as_text=True)

    url = COURSE + "modules/crisis/"
    submit(client, url, url + "lessons", {"slug": "hour", "title": "Hour", "minutes": "3",
                                        "body": "See [drill](../02-practice/01-drill.md)."})
    with app.app_context():  # the linked lesson is retired behind the page's back: its link now breaks
        db.session.scalar(select(Lesson).where(Lesson.slug == "drill")).retired_at = db.func.now()
        db.session.commit()
    refused = submit(client, url, f"/studio/module/{crisis.id}/publish", {"publish": "Publish"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Not published: fix these first" in page
    assert ("courses/intro-course/03-crisis/01-hour.md:6: broken link: "
            "&#39;../02-practice/01-drill.md&#39; does not exist") in page
    assert row(app, Module, "crisis").draft and row(app, Lesson, "hour").draft


def test_publish_and_unpublish_a_module_with_its_lessons(app, client, content, trainer):
    submit(client, COURSE, COURSE + "modules", {"slug": "crisis", "title": "Crisis", "summary": "S."})
    url = COURSE + "modules/crisis/"
    submit(client, url, url + "lessons", {"slug": "hour", "title": "Hour", "minutes": "3", "body": "Body."})
    crisis = row(app, Module, "crisis")
    response = submit(client, url, f"/studio/module/{crisis.id}/publish", {"publish": "Publish"})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert not row(app, Module, "crisis").draft and not row(app, Lesson, "hour").draft
    assert "draft:" not in row(app, Module, "crisis").source
    submit(client, url, f"/studio/module/{crisis.id}/publish", {"unpublish": "Unpublish"})
    assert row(app, Module, "crisis").draft


@pytest.fixture
def drafts(app, client, content, trainer):
    """A draft course, a draft module with a lesson, and a draft lesson in the published 'basics' module."""
    submit(client, "/studio/", "/studio/courses", {"slug": "secret-course", "title": "Secret course", "summary": "S."})
    submit(client, COURSE, COURSE + "modules", {"slug": "hidden", "title": "Hidden module", "summary": "S."})
    hidden = COURSE + "modules/hidden/"
    submit(client, hidden, hidden + "lessons",
           {"slug": "hidden-lesson", "title": "Hidden lesson", "minutes": "2", "body": "x"})
    submit(client, BASICS, BASICS + "lessons",
           {"slug": "draft-lesson", "title": "Draft lesson", "minutes": "2", "body": "x"})
    assert row(app, Lesson, "draft-lesson").draft and row(app, Module, "hidden").draft


def test_drafts_are_invisible_to_diplomats(client, drafts, make_user, login):
    sign_out(client)
    login(make_user("diplomat"))
    for url in ("/", "/courses/", "/courses/intro-course/", "/progress"):
        page = client.get(url).get_data(as_text=True)
        for secret in ("Secret course", "Hidden module", "Hidden lesson", "Draft lesson"):
            assert secret not in page, (url, secret)
    for url in ("/courses/secret-course/", "/courses/intro-course/hidden/hidden-lesson",
                "/courses/intro-course/basics/draft-lesson"):
        assert client.get(url).status_code == 404, url
    # The module's tally counts its two published lessons only, not the draft one.
    assert "0 of 2 completed" in client.get("/courses/intro-course/").get_data(as_text=True)
    assert "Lesson 1 of 2" in client.get("/courses/intro-course/basics/first-steps").get_data(as_text=True)


def test_trainers_preview_drafts_in_the_studio(client, drafts):
    response = client.get(BASICS + "lessons/draft-lesson/preview")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "a draft: learners do not see it yet" in page and "Lesson 3 of 3" in page
    assert client.get("/courses/intro-course/basics/draft-lesson").status_code == 404  # not on learner pages


def test_publishing_a_lesson_in_a_published_module_shows_it(app, client, drafts, make_user, login):
    lesson = row(app, Lesson, "draft-lesson")
    submit(client, BASICS, f"/studio/lesson/{lesson.id}/publish", {"publish": "Publish"})
    sign_out(client)
    login(make_user("diplomat"))
    assert client.get("/courses/intro-course/basics/draft-lesson").status_code == 200
    assert "0 of 3 completed" in client.get("/courses/intro-course/").get_data(as_text=True)


def test_publish_a_new_course(app, client, content, trainer, make_user, login):
    submit(client, "/studio/", "/studio/courses", {"slug": "press", "title": "Press", "summary": "S."})
    from lms.models import Course
    course = row(app, Course, "press")
    response = submit(client, "/studio/courses/press/", f"/studio/course/{course.id}/publish", {"publish": "Publish"})
    assert response.status_code == 302 and response.headers["Location"] == "/studio/courses/press/"
    assert not row(app, Course, "press").draft
