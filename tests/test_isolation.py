"""The suite's own ground: every test's database is a faithful, fresh copy, and no app serves another's content."""
from __future__ import annotations

from sqlalchemy import DateTime, text

from lms.accounts import create_user
from lms.content.importer import import_content
from lms.extensions import db
from tests.fixtures.databases import app_on_copy
from tests.helpers import PASSWORD, signed_in_client, table_rows

LESSON = "/courses/intro-course/basics/first-steps"


def without_times(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows without their timestamps (a template is imported minutes before the test runs)."""
    times = {(table.name, column.name) for table in db.metadata.sorted_tables for column in table.columns
             if isinstance(column.type, DateTime)}
    return {name: [{k: v for k, v in row.items() if (name, k) not in times} for row in table_rows]
            for name, table_rows in rows.items()}


def test_a_content_copy_holds_what_importing_the_tests_own_files_gives(app, quiz_content, courses_dir, fresh_app):
    empty = fresh_app()
    with empty.app_context():
        import_content(courses_dir, quiz_content)
        db.session.commit()
    imported = table_rows(empty)
    copied = table_rows(app)
    assert copied["quiz"] and copied["lesson"] and copied["asset"]
    assert without_times(copied) == without_times(imported)


def test_the_course_alone_matches_its_import_too(app, content, fresh_app):
    empty = fresh_app()
    with empty.app_context():
        import_content(content)
        db.session.commit()
    imported = table_rows(empty)
    assert table_rows(app)["quiz"] == []
    assert without_times(table_rows(app)) == without_times(imported)


def test_each_copy_starts_fresh_whatever_the_last_one_did(databases, tmp_path):
    for n in range(3):  # on PostgreSQL the same database is handed out again: it must be refilled
        with app_on_copy(databases, "content", tmp_path / str(n)) as app:
            with app.app_context():
                user = create_user("same@example.org", "Same", PASSWORD, ["diplomat"])
                db.session.execute(text("UPDATE lesson SET title = 'Changed'"))
                db.session.commit()
                assert user.id == 1  # sequences start again too
            rows = table_rows(app)
            assert [row["title"] for row in rows["lesson"]] == ["Changed"] * 3


def test_two_apps_with_the_same_content_counter_serve_their_own_content(app, content, make_user, fresh_app):
    """The per-worker content snapshot belongs to its app: another database with the same counter value
    but other content (as the next test's may have) never gets this app's copy, nor the reverse."""
    here = signed_in_client(app, make_user())
    assert "First steps" in here.get(LESSON).get_data(as_text=True)
    other = fresh_app("content")
    with other.app_context():
        counter = db.session.execute(text("SELECT number FROM content_version")).scalar()
        db.session.execute(text("UPDATE lesson SET title = 'Steps elsewhere' WHERE slug = 'first-steps'"))
        user = create_user("other@example.org", "Other", PASSWORD, ["diplomat"])
        db.session.commit()
        assert db.session.execute(text("SELECT number FROM content_version")).scalar() == counter
        db.session.refresh(user)
        db.session.expunge(user)
    there = signed_in_client(other, user)
    assert "Steps elsewhere" in there.get(LESSON).get_data(as_text=True)
    assert "Steps elsewhere" not in here.get(LESSON).get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(text("SELECT number FROM content_version")).scalar() == counter
