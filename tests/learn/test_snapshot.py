"""Each worker's in-memory copy of the published content follows every change, whoever makes it."""
from sqlalchemy import select

from lms.content import version
from lms.content.importer import import_content
from lms.extensions import db
from lms.models import Lesson

LESSON = "/courses/intro-course/basics/first-steps"


def rename_lesson(app, title: str) -> None:
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "first-steps"))
        lesson.title = title
        db.session.commit()


def test_the_counter_moves_with_content_changes_only(app, content, make_user):
    with app.app_context():
        before = version.current()
    make_user()  # not content
    with app.app_context():
        assert version.current() == before
    rename_lesson(app, "Renamed")
    with app.app_context():
        assert version.current() == before + 1


def test_a_reimported_file_shows_on_the_next_page(app, client, content, make_user, login):
    login(make_user())
    assert "First steps" in client.get(LESSON).get_data(as_text=True)
    path = content / "intro-course" / "01-basics" / "01-first-steps.md"
    path.write_text(path.read_text().replace("title: First steps", "title: Very first steps"))
    with app.app_context():
        import_content(content)
        db.session.commit()
    page = client.get(LESSON).get_data(as_text=True)
    assert "Very first steps" in page


def test_a_change_made_by_another_worker_shows_here(app, client, content, make_user, login, make_app):
    """Two apps on one database stand for two gunicorn workers, each with its own snapshot."""
    login(make_user())
    assert "First steps" in client.get("/courses/intro-course/").get_data(as_text=True)
    other_worker = make_app({**app.config, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    rename_lesson(other_worker, "Steps renamed elsewhere")
    page = client.get("/courses/intro-course/").get_data(as_text=True)
    assert "Steps renamed elsewhere" in page and ">First steps<" not in page


def test_a_retired_lesson_leaves_the_pages_at_once(app, client, content, make_user, login):
    login(make_user())
    assert client.get(LESSON).status_code == 200
    with app.app_context():
        lesson = db.session.scalar(select(Lesson).where(Lesson.slug == "first-steps"))
        lesson.draft = True
        db.session.commit()
    assert client.get(LESSON).status_code == 404
    assert "First steps" not in client.get("/courses/intro-course/").get_data(as_text=True)


def test_an_unchanged_snapshot_is_not_reloaded(app, client, content, make_user, login):
    login(make_user())
    client.get(LESSON)
    taken = app.extensions["content_snapshot"]
    client.get("/courses/intro-course/")
    assert app.extensions["content_snapshot"] is taken
    rename_lesson(app, "Renamed")
    client.get(LESSON)
    assert app.extensions["content_snapshot"] is not taken


def test_a_number_read_with_the_user_is_dropped_once_content_changes(app, content):
    """The signed-in user's statement also reads the counter; a change later in the request supersedes it."""
    with app.test_request_context():
        before = version.current()
        version.note_current(before)
        db.session.scalar(select(Lesson).where(Lesson.slug == "first-steps")).title = "Changed in this request"
        db.session.flush()
        assert version.current() == before + 1
        version.note_current(before)
        assert version.current() == before  # read with the user: no statement of its own
        assert version.current() == before + 1  # once only
