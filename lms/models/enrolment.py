"""Where each enrolled learner stands in each course, and the due dates that apply to them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import utcnow

NOT_STARTED, IN_PROGRESS, COMPLETED = "not started", "in progress", "completed"
STATES = (NOT_STARTED, IN_PROGRESS, COMPLETED)


def is_overdue(state: str, due_on: date | None, today: date) -> bool:
    """Unfinished and due before ``today``: the one rule, worked out when read (it changes with the calendar)."""
    return state != COMPLETED and due_on is not None and due_on < today


class Extension(db.Model):
    """A later due date for one learner in one course; it replaces the date their cohorts give."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Enrolment(db.Model):
    """One active diplomat's standing in one course a cohort of theirs is enrolled in.

    Derived from the raw records (memberships, cohort due dates, extensions, activity, completions)
    and kept up to date in the same transaction as every write that changes them, so each dashboard
    figure is a small aggregate over these rows. Overdue is not stored: it is ``state != completed``
    and ``due_on`` before today, which changes with the calendar, not with a write.
    ``flask --app lms check-status`` recomputes every row and reports differences.
    """

    __table_args__ = (
        Index("ix_enrolment_course_state", "course_id", "state", "due_on"),
        Index("ix_enrolment_mission", "mission_id", "course_id"),
        # The dashboard's figures: every column its grouped count reads, so it scans this index alone.
        Index("ix_enrolment_figures", "course_id", "mission_id", "state", "due_on"),
        # "Who is behind", most overdue first: only unfinished rows, in the list's whole order (it stops at a limit).
        Index("ix_enrolment_unfinished", "due_on", "user_id", "course_id", sqlite_where=text("state != 'completed'"),
              postgresql_where=text("state != 'completed'")),
        # Completions per week over a date range.
        Index("ix_enrolment_completed", "completed_at", "course_id", "mission_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"))
    due_on: Mapped[date | None] = mapped_column(Date)  # the earliest cohort date, or the extension
    extended: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(12), default=NOT_STARTED)
    last_activity_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The cohorts that enrol the learner in the course, as sorted ids ("3,7"): what the row adds to the
    # cohort tallies, kept so a refresh after a membership change can take back what the row added before.
    cohorts: Mapped[str] = mapped_column(String(200), default="", server_default="")


# Tallies: the status rows counted in advance, so each dashboard figure sums a few hundred rows instead
# of counting one row per learner. Kept by lms/enrolment/status.py in the same transaction as the status
# rows, checked by ``check-status``. Key columns are never NULL (SQL's NULLs never clash in a unique key,
# so an upsert could not find the row): these stand for "none".
EVERYONE = 0  # cohort_id of the tallies over every status row, whatever the learner's cohorts
NO_MISSION_ID = 0
NO_DUE_DATE = date(9999, 12, 31)


class StatusTally(db.Model):
    """How many status rows have this course, mission, state and due date (in one cohort, or EVERYONE)."""

    # The cohort table sums every cohort by state and due date: in this index's order, from the index alone.
    __table_args__ = (Index("ix_status_tally_cohorts", "cohort_id", "state", "due_on", "course_id", "mission_id", "n"),)

    cohort_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    mission_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(12), primary_key=True)
    due_on: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class CompletionTally(db.Model):
    """How many status rows completed the course in the week starting ``week_on`` (a Monday, UTC)."""

    # Completions per week over the last half year: a range of this index, read from the index alone.
    __table_args__ = (Index("ix_completion_tally_weeks", "cohort_id", "week_on", "course_id", "mission_id", "n"),)

    cohort_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), primary_key=True)
    mission_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    week_on: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class ModuleTally(db.Model):
    """How many enrolled learners (status rows of the module's course) completed the module."""

    cohort_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id", ondelete="CASCADE"), primary_key=True)
    mission_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    n: Mapped[int] = mapped_column(default=0)
