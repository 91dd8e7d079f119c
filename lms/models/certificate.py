"""Certificates of course completion, with the facts frozen at issue so later edits never change them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow


class Certificate(db.Model):
    """One learner's certificate for one course: what was certified, its verification code, and any revocation.

    The name, course title, completion date and module titles are copied at issue: a certificate states
    what was true when it was earned, even after the course is renamed or the person's name changes.
    """

    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # base32 without dashes (certificates.codes)
    # The unique (user_id, course_id) index serves look-ups by learner; courses are retired, never deleted.
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    learner_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(200))
    completed_on: Mapped[date] = mapped_column(Date)  # the calendar day in TIMEZONE when it was completed
    module_titles: Mapped[list[str]] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
