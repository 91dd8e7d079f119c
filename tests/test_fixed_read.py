"""Fixed reads (lms/database/fixed.py): SQLAlchemy's answers, in the session's transaction, and its errors."""
from datetime import timedelta

import pytest
from sqlalchemy import String, TypeDecorator, bindparam, column, literal_column, select, table, text, type_coerce
from sqlalchemy.exc import DBAPIError, OperationalError

from lms.database.fixed import FixedRead
from lms.extensions import db
from lms.models import Lesson, LessonProgress, Module
from lms.models.base import utcnow
from lms.progress import _IN_COURSE, _IN_MODULE
from tests.fixtures.app import TEST_CONFIG
from tests.helpers import count_statements

pytestmark = pytest.mark.database("content")


def _first_module():
    """The first module of the sample course and its lessons."""
    module = db.session.scalars(select(Module).order_by(Module.id)).first()
    return module, db.session.scalars(select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.id)).all()


def test_a_page_progress_read_gives_what_sqlalchemy_gives(app, make_user):
    user = make_user()
    with app.app_context():
        module, lessons = _first_module()
        now = utcnow()
        # one lesson read long ago and completed, one opened just now: "since" (a datetime, stored as text on
        # SQLite) must be converted as SQLAlchemy converts it for the two to be told apart
        db.session.add(LessonProgress(user_id=user.id, lesson_id=lessons[0].id, viewed_at=now - timedelta(days=2),
                                      last_viewed_at=now - timedelta(days=2), completed_at=now - timedelta(days=1)))
        db.session.add(LessonProgress(user_id=user.id, lesson_id=lessons[1].id, viewed_at=now,
                                      last_viewed_at=now))
        db.session.commit()
        since = now - timedelta(seconds=60)
        for read, scope in ((_IN_MODULE, module.id), (_IN_COURSE, module.course_id)):
            params = {"user_id": user.id, "scope_id": scope, "since": since}
            expected = sorted(tuple(row) for row in db.session.execute(read.statement, params))
            assert sorted(read.rows(**params)) == expected
            assert expected == sorted([("lesson", lessons[0].id, 1, 0, None), ("lesson", lessons[1].id, 0, 1, None)])


def test_a_fixed_read_sees_the_sessions_own_uncommitted_writes(app, make_user):
    user = make_user()
    with app.app_context():
        module, lessons = _first_module()
        db.session.add(LessonProgress(user_id=user.id, lesson_id=lessons[0].id, viewed_at=utcnow(),
                                      last_viewed_at=utcnow()))
        db.session.flush()
        rows = _IN_MODULE.rows(user_id=user.id, scope_id=module.id, since=utcnow())
        assert [row[:2] for row in rows] == [("lesson", lessons[0].id)]
        db.session.rollback()
        assert _IN_MODULE.rows(user_id=user.id, scope_id=module.id, since=utcnow()) == []


def test_a_value_fixed_in_the_statement_is_sent_with_the_given_ones(app):
    read = FixedRead(select(bindparam("given") + bindparam("fixed", 40)))
    with app.app_context():
        assert read.rows(given=2) == [(42,)]


def test_a_driver_error_comes_out_as_sqlalchemys_and_the_session_goes_on(app):
    read = FixedRead(select(table("no_such_table", column("x"))))
    with app.app_context():
        with pytest.raises(DBAPIError) as raised:
            read.rows()
        assert "no_such_table" in str(raised.value.orig) and not raised.value.connection_invalidated
        db.session.rollback()
        assert db.session.execute(text("SELECT 1")).scalar() == 1


class Shouted(TypeDecorator):
    """A type whose values SQLAlchemy converts on the way out, on every database."""

    impl, cache_ok = String, True

    def process_result_value(self, value, dialect):
        return value.upper()


def test_a_column_the_driver_cannot_give_as_is_is_refused_at_once(app):
    read = FixedRead(select(type_coerce(literal_column("'quiet'"), Shouted()).label("word")))
    with app.app_context(), pytest.raises(TypeError, match="cannot convert its column 'word'"):
        read.rows()


def test_while_statements_are_watched_a_fixed_read_is_seen(app, make_user):
    user = make_user()
    with app.app_context():
        module, _ = _first_module()
    with count_statements(app) as statements, app.app_context():
        _IN_MODULE.rows(user_id=user.id, scope_id=module.id, since=utcnow())
    assert len(statements) == 1 and "lesson_progress" in statements[0]


def test_a_connection_the_server_cuts_is_invalidated_and_reported_as_unavailable(new_database, make_app):
    app = make_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": new_database("postgresql", "fixed_read")})
    read = FixedRead(select(table("sample", column("x"))))
    with app.app_context():
        db.session.execute(text("CREATE TABLE sample (x integer)"))
        db.session.execute(text("INSERT INTO sample VALUES (7)"))
        assert read.rows() == [(7,)]
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:  # PostgreSQL stopping, or an operator, ends the session's backend
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(OperationalError) as raised:
            read.rows()
        assert raised.value.connection_invalidated  # the pool will not hand the dead connection out again
        db.session.rollback()
        assert db.session.execute(text("SELECT 1")).scalar() == 1
