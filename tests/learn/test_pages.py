"""The learner's pages and the progress they record."""
import re

from sqlalchemy import select

from lms.extensions import db
from lms.models import Lesson, LessonProgress
from lms.models.base import utcnow
from tests.helpers import submit

LESSON = "/courses/intro-course/basics/first-steps"
SECOND = "/courses/intro-course/basics/second-steps"
DRILL = "/courses/intro-course/practice/drill"


def progress_rows(app, user):
    with app.app_context():
        return db.session.execute(
            select(LessonProgress.lesson_id, LessonProgress.viewed_at, LessonProgress.completed_at)
            .where(LessonProgress.user_id == user.id)
        ).all()


def test_catalogue_lists_the_course(client, content, make_user, login):
    login(make_user())
    html = client.get("/courses/").get_data(as_text=True)
    assert "Introduction course" in html and "A small course used by the tests." in html


def test_course_page_shows_modules_lessons_and_states(client, content, make_user, login):
    login(make_user())
    client.get(LESSON)
    html = client.get("/courses/intro-course/").get_data(as_text=True)
    assert html.index("Basics") < html.index("Practice")
    assert html.index("First steps") < html.index("Second steps") < html.index("Drill")
    assert re.search(r"First steps</a>.*?state-viewed", html, re.S)
    assert re.search(r"Drill</a>.*?state-not-started", html, re.S)


def test_unknown_course_lesson_and_asset_are_404(client, content, make_user, login):
    login(make_user())
    for url in ["/courses/nope/", "/courses/intro-course/basics/nope", "/courses/intro-course/basics/assets/x.png"]:
        assert client.get(url).status_code == 404


def test_opening_a_lesson_records_a_view(app, client, content, make_user, login):
    user = make_user()
    login(user)
    html = client.get(LESSON).get_data(as_text=True)
    assert "Lesson 1 of 2" in html
    rows = progress_rows(app, user)
    assert len(rows) == 1 and rows[0].viewed_at is not None and rows[0].completed_at is None


def test_mark_complete_moves_the_progress_bar(app, client, content, make_user, login):
    user = make_user()
    login(user)
    assert '<progress max="2" value="0"' in client.get(LESSON).get_data(as_text=True)
    response = submit(client, LESSON, LESSON + "/complete")
    assert response.status_code == 302 and response.headers["Location"] == LESSON
    html = client.get(LESSON).get_data(as_text=True)
    assert '<progress max="2" value="1"' in html and "You completed this lesson" in html
    assert progress_rows(app, user)[0].completed_at is not None


def test_completing_twice_keeps_the_first_time(app, client, content, make_user, login):
    user = make_user()
    login(user)
    submit(client, LESSON, LESSON + "/complete")
    first = progress_rows(app, user)[0].completed_at
    submit(client, LESSON, LESSON + "/complete")
    rows = progress_rows(app, user)
    assert len(rows) == 1 and rows[0].completed_at == first


def test_complete_without_csrf_is_refused(app, client, content, make_user, login):
    user = make_user()
    login(user)
    assert client.post(LESSON + "/complete").status_code == 400
    assert progress_rows(app, user) == []


def test_complete_is_post_only(client, content, make_user, login):
    login(make_user())
    assert client.get(LESSON + "/complete").status_code == 405


def test_previous_and_next_links(client, content, make_user, login):
    login(make_user())
    first = client.get(LESSON).get_data(as_text=True)
    assert f'rel="next" href="{SECOND}"' in first and 'rel="prev"' not in first
    second = client.get(SECOND).get_data(as_text=True)
    assert f'rel="prev" href="{LESSON}"' in second and "Lesson 2 of 2" in second


def test_progress_is_per_user(app, client, content, make_user, login):
    alice, bob = make_user(), make_user()
    login(alice)
    submit(client, LESSON, LESSON + "/complete")
    submit(client, "/", "/logout")
    login(bob)
    assert '<progress max="2" value="0"' in client.get(LESSON).get_data(as_text=True)
    assert len(progress_rows(app, alice)) == 1 and progress_rows(app, bob)[0].completed_at is None


def test_home_offers_to_continue_and_shows_course_progress(client, content, make_user, login):
    login(make_user())
    assert "You have not started a course yet" in client.get("/").get_data(as_text=True)
    submit(client, LESSON, LESSON + "/complete")
    html = client.get("/").get_data(as_text=True)
    assert "Continue where you left off" in html
    assert f'href="{SECOND}"' in html  # first lesson done: continue with the next one
    assert '<progress max="3" value="1"' in html


def test_continue_returns_to_an_unfinished_lesson(client, content, make_user, login):
    login(make_user())
    client.get(DRILL)
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'Continue where you left off.*?href="' + DRILL, html, re.S)


def test_my_progress_lists_courses_and_modules(client, content, make_user, login):
    login(make_user())
    assert "You have not started a course yet" in client.get("/progress").get_data(as_text=True)
    submit(client, LESSON, LESSON + "/complete")
    html = client.get("/progress").get_data(as_text=True)
    assert '<progress max="3" value="1"' in html
    assert re.search(r"<th scope=\"row\">Basics</th><td>1</td><td>2</td><td>50</td>", html)
    assert re.search(r"<th scope=\"row\">Practice</th><td>0</td><td>1</td><td>0</td>", html)


def test_asset_is_served_with_its_type_and_a_sandbox(client, content, make_user, login):
    login(make_user())
    response = client.get("/courses/intro-course/basics/assets/square.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert b"<rect" in response.data
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(response.request.path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


def test_security_headers_and_no_store_on_personal_pages(client, content, make_user, login):
    login(make_user())
    response = client.get("/progress")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_other_hosts(client, content, make_user, login):
    login(make_user())
    for url in ["/", "/courses/", "/courses/intro-course/", LESSON, "/progress"]:
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', html), url


def test_a_reload_within_a_minute_writes_nothing_new(app, client, content, make_user, login):
    from datetime import timedelta

    user = make_user()
    login(user)
    client.get(LESSON)
    first = progress_rows(app, user)[0].viewed_at
    with app.app_context():
        row = db.session.scalar(select(LessonProgress))
        seen = row.last_viewed_at
    client.get(LESSON)
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.last_viewed_at)) == seen  # reload: no write
        row = db.session.scalar(select(LessonProgress))
        row.last_viewed_at = seen - timedelta(minutes=5)
        db.session.commit()
    client.get(LESSON)
    with app.app_context():
        assert db.session.scalar(select(LessonProgress.last_viewed_at)) > seen - timedelta(minutes=5)
    assert progress_rows(app, user)[0].viewed_at == first


def test_a_retired_lessons_progress_leaves_the_pages(app, client, content, make_user, login):
    """Progress is read for the module or course as a whole, then kept to the lessons learners still see."""
    login(make_user())
    submit(client, SECOND, SECOND + "/complete")
    assert '<progress max="2" value="1"' in client.get(LESSON).get_data(as_text=True)
    with app.app_context():
        db.session.scalar(select(Lesson).where(Lesson.slug == "second-steps")).retired_at = utcnow()
        db.session.commit()  # through the ORM, as the importer retires a lesson: the content version moves
    lesson = client.get(LESSON).get_data(as_text=True)
    course = client.get("/courses/intro-course/").get_data(as_text=True)
    assert '<progress max="1" value="0"' in lesson and "Lesson 1 of 1" in lesson
    assert "Second steps" not in course and "0 of 1 completed" in course
