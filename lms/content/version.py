"""A counter of changes to learner-facing content (courses, modules, lessons, quizzes).

Every app worker keeps the published content in memory (lms/catalogue/snapshot.py) and asks this
counter, on every request that shows content, whether it is still current: a signed-in user's request
reads it with the user (lms/auth/session.py), others with one cheap query. The counter moves in the same
transaction as the change itself, whoever makes it (an import, the studio, the CLI), because it is
raised from the session's flush rather than by each writer remembering to.
"""
from __future__ import annotations

from itertools import chain

from flask import g, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..database.dialect import upsert_statement
from ..extensions import db
from ..models import ContentVersion, Course, Lesson, Module, Quiz

WATCHED = (Course, Module, Lesson, Quiz)
ROW_ID = 1


CURRENT = select(ContentVersion.__table__.c.number).where(ContentVersion.__table__.c.id == ROW_ID)
SEEN = "content_version_seen"  # in g: the number a statement of this request already read


def current() -> int:
    """The number of content changes so far (0 before the first), as this request's transaction sees it."""
    number = g.pop(SEEN, None)  # once: a request that changes content asks the database again
    if number is None:
        number = db.session.scalar(CURRENT)
    return number or 0


def note_current(number: int | None) -> None:
    """Keep the number read by another statement of this request (CURRENT as a column of it)."""
    g.setdefault(SEEN, number)


def count_changes() -> None:
    """Raise the counter on every flush that adds, changes or deletes watched content (registered once)."""
    if not event.contains(Session, "before_flush", _note_changes):
        event.listen(Session, "before_flush", _note_changes)


def _note_changes(session: Session, _context, _instances) -> None:
    touched = chain(session.new, session.dirty, session.deleted)
    if not any(isinstance(instance, WATCHED) for instance in touched):
        return
    if has_app_context():
        g.pop(SEEN, None)  # read before this change: the request's next look asks the database
    connection = session.connection()  # not session.execute: that would flush again
    connection.execute(upsert_statement(
        connection.dialect.name, ContentVersion, ["id"], {"id": ROW_ID, "number": 1},
        {"number": ContentVersion.number + 1}))
