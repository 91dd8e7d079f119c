"""A counter of changes to learner-facing content (courses, modules, lessons, quizzes).

Every app worker keeps the published content in memory (lms/catalogue/snapshot.py) and asks this
counter, one cheap query per request, whether it is still current. The counter moves in the same
transaction as the change itself, whoever makes it (an import, the studio, the CLI), because it is
raised from the session's flush rather than by each writer remembering to.
"""
from __future__ import annotations

from itertools import chain

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..database.dialect import upsert_statement
from ..extensions import db
from ..models import ContentVersion, Course, Lesson, Module, Quiz

WATCHED = (Course, Module, Lesson, Quiz)
ROW_ID = 1


_CURRENT = select(ContentVersion.__table__.c.number).where(ContentVersion.__table__.c.id == ROW_ID)


def current() -> int:
    """The number of content changes so far (0 before the first)."""
    return db.session.scalar(_CURRENT) or 0


def count_changes() -> None:
    """Raise the counter on every flush that adds, changes or deletes watched content (registered once)."""
    if not event.contains(Session, "before_flush", _note_changes):
        event.listen(Session, "before_flush", _note_changes)


def _note_changes(session: Session, _context, _instances) -> None:
    touched = chain(session.new, session.dirty, session.deleted)
    if not any(isinstance(instance, WATCHED) for instance in touched):
        return
    connection = session.connection()  # not session.execute: that would flush again
    connection.execute(upsert_statement(
        connection.dialect.name, ContentVersion, ["id"], {"id": ROW_ID, "number": 1},
        {"number": ContentVersion.number + 1}))
