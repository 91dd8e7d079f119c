"""Certificates: issued when a course is completed, looked up by code, revoked by an admin.

Services add and flush; the caller commits. Issuing is idempotent (one certificate per learner and
course, kept by a unique constraint and ON CONFLICT DO NOTHING), so the completion hook, the bulk
command and two racing requests can all call it.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import and_, select

from .. import clock
from ..database.dialect import dialect_insert
from ..extensions import db
from ..models import Certificate, Course, CourseCompletion, Module, User
from ..models.base import utcnow
from . import codes

BATCH = 1000


def issue(user_id: int, course_id: int) -> int:
    """Issue the learner's certificate for a course they have completed, unless they have it; returns 0 or 1."""
    return issue_missing(CourseCompletion.user_id == user_id, CourseCompletion.course_id == course_id)


def issue_missing(*conditions) -> int:
    """Issue a certificate for every recorded course completion that has none (e.g. completions that predate
    certificates, or the demo's bulk completions); returns how many were issued."""
    missing = db.session.execute(
        select(CourseCompletion.user_id, CourseCompletion.course_id, CourseCompletion.completed_at,
               User.name, Course.title)
        .join(User, User.id == CourseCompletion.user_id).join(Course, Course.id == CourseCompletion.course_id)
        .outerjoin(Certificate, and_(Certificate.user_id == CourseCompletion.user_id,
                                     Certificate.course_id == CourseCompletion.course_id))
        .where(Certificate.id.is_(None), *conditions)
    ).all()
    if not missing:
        return 0
    titles = module_titles({row.course_id for row in missing})
    now = utcnow()
    rows = [dict(code=codes.new_code(), user_id=row.user_id, course_id=row.course_id, learner_name=row.name,
                 course_title=row.title, completed_on=completion_day(row.completed_at),
                 module_titles=titles.get(row.course_id, []), issued_at=now) for row in missing]
    # A racing issuer may have written the same learner and course since the read: keep theirs.
    # (Two codes of 80 random bits clashing is not worth a retry: about one in 10^24.)
    statement = dialect_insert(db.session.get_bind().dialect.name, Certificate).on_conflict_do_nothing(
        index_elements=["user_id", "course_id"])
    for first in range(0, len(rows), BATCH):
        db.session.execute(statement, rows[first:first + BATCH])
    return len(rows)


def module_titles(course_ids: set[int]) -> dict[int, list[str]]:
    """The live modules of each course, in course order: what a certificate certifies."""
    titles: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(Module.course_id, Module.title).where(Module.course_id.in_(course_ids), Module.visible())
        .order_by(Module.course_id, Module.position, Module.slug))
    for course_id, title in rows:
        titles.setdefault(course_id, []).append(title)
    return titles


def completion_day(moment: datetime) -> date:
    """The calendar day in TIMEZONE of a completion (SQLite gives back naive UTC datetimes)."""
    return clock.today(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def certificates_of(user_id: int) -> list[Certificate]:
    """A learner's certificates, newest first (for My progress and the coordinator's person page)."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.user_id == user_id)
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())))


def find(typed_code: str) -> Certificate | None:
    """The certificate with this code, typed in any case, with or without dashes; None if there is none."""
    code = codes.normalise(typed_code)
    return None if code is None else db.session.scalar(select(Certificate).where(Certificate.code == code))


def revoke(certificate: Certificate, by: User) -> None:
    """Mark the certificate revoked, by whom and when; revoking again keeps the first record."""
    if certificate.revoked_at is None:
        certificate.revoked_at = utcnow()
        certificate.revoked_by_id = by.id
        db.session.flush()
