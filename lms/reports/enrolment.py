"""Which status rows (``Enrolment``) a report counts: the coordinator's scope and filters, in one place.

Every dashboard figure is an aggregate over the status rows these conditions pick. Conditions are
``IN (small subquery)`` tests on the row's own columns, not joins, so the database scans one index of
``enrolment`` and never visits the learners, their cohorts or their activity to count them.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Executable, and_, bindparam, case, literal_column, select

from ..extensions import db
from ..models import CohortMember, Course, Enrolment, Mission, cohort_course
from ..models.enrolment import COMPLETED, EVERYONE, IN_PROGRESS, NO_MISSION_ID, NOT_STARTED
from .filters import Filters
from .labels import NO_MISSION

SOON_DAYS = 7  # "due soon": within a week, when the first reminder goes out
# A literal, not a bound parameter, so SQLite can match the partial index ix_enrolment_unfinished.
UNFINISHED = Enrolment.state != literal_column(f"'{COMPLETED}'")


class Selection(NamedTuple):
    """The rows a report counts: its shape (the names of the filters that apply) and their values.

    Conditions are written with bound parameters named after the filters, so one statement serves every
    value of a shape and is built once (``prepared``): building one costs more than running it.
    """

    shape: tuple[str, ...]
    params: dict


def selection(filters: Filters, scope: set[str] | None, **where) -> Selection:
    """The selection for the scope, the filters and ``mission_id``/``user_id`` (dates are not part of it)."""
    values = {"scope": sorted(scope) if scope is not None else None, "course_id": filters.course_id,
              "cohort_id": filters.cohort_id, "mission_id": where.get("mission_id"), "user_id": where.get("user_id"),
              "region": filters.region if filters.region != NO_MISSION else None}
    params = {name: value for name, value in values.items() if value is not None and value != ""}
    return Selection(tuple(params) + (("no_mission",) if filters.region == NO_MISSION else ()), params)


_PREPARED: dict[tuple, Executable] = {}


def prepared(name: str, rows: Selection, build: Callable[[], Executable]) -> Executable:
    """The statement ``build`` makes for ``name`` and the selection's shape, built once per process."""
    key = (name, rows.shape, db.session.get_bind().dialect.name)
    statement = _PREPARED.get(key)
    if statement is None:
        statement = _PREPARED[key] = build()
    return statement


def _in_regions(missions, shape: tuple[str, ...]) -> list:
    """Terms for the scope's regions and the chosen region, on a column of mission ids."""
    terms = []
    if "scope" in shape:
        terms.append(missions.in_(select(Mission.id).where(Mission.region.in_(bindparam("scope", expanding=True)))))
    if "region" in shape:
        terms.append(missions.in_(select(Mission.id).where(Mission.region == bindparam("region"))))
    return terms


def conditions(rows: Selection, by_due_date: bool = False) -> list:
    """WHERE terms on ``Enrolment`` for live courses and the selection; execute with ``rows.params``.

    ``by_due_date``: the query walks the unfinished rows in due-date order and stops at a limit. On SQLite
    the course terms are then written ``course_id + 0``, which no index can serve, so that its planner
    (without statistics) does not search the course index instead and sort every unfinished row (13 ms
    against 0.5 ms at 10,000 diplomats); SQLAlchemy does not render SQLite's INDEXED BY. PostgreSQL cannot
    estimate ``course_id + 0`` and then sorts every unfinished row, so it gets the plain column.
    """
    shape = rows.shape
    by_due_date = by_due_date and db.session.get_bind().dialect.name == "sqlite"
    course = Enrolment.course_id + 0 if by_due_date else Enrolment.course_id
    terms = [course.in_(select(Course.id).where(Course.visible())), *_in_regions(Enrolment.mission_id, shape)]
    if "course_id" in shape:
        terms.append(course == bindparam("course_id"))
    if "cohort_id" in shape:
        members = select(CohortMember.user_id).where(CohortMember.cohort_id == bindparam("cohort_id"))
        courses = select(cohort_course.c.course_id).where(cohort_course.c.cohort_id == bindparam("cohort_id"))
        terms += [Enrolment.user_id.in_(members), course.in_(courses)]
    if "no_mission" in shape:
        terms.append(Enrolment.mission_id.is_(None))
    for name in ("mission_id", "user_id"):
        if name in shape:
            terms.append(getattr(Enrolment, name) == bindparam(name))
    return terms


def tally_conditions(tally, rows: Selection, every_cohort: bool = False) -> list:
    """WHERE terms on a tally table (see lms/enrolment/tallies.py), the same choice ``conditions`` makes.

    ``every_cohort``: the per-cohort tallies (for the cohort table), else the one for the chosen cohort
    or EVERYONE. ``user_id`` cannot be answered from tallies.
    """
    shape = rows.shape
    if "user_id" in shape:
        raise ValueError("tallies do not count single learners")
    course = getattr(tally, "course_id", None)
    # A tally counts down to zero rather than disappear; a zero must not name a group or a due date.
    terms = [tally.n != 0, *_in_regions(tally.mission_id, shape)]
    if course is not None:
        terms.append(course.in_(select(Course.id).where(Course.visible())))
    if every_cohort:
        terms.append(tally.cohort_id != EVERYONE)
    if "cohort_id" in shape:
        terms.append(tally.cohort_id == bindparam("cohort_id"))
    elif not every_cohort:
        terms.append(tally.cohort_id == EVERYONE)
    if "course_id" in shape and course is not None:
        terms.append(course == bindparam("course_id"))
    if "no_mission" in shape:
        terms.append(tally.mission_id == NO_MISSION_ID)
    if "mission_id" in shape:
        terms.append(tally.mission_id == bindparam("mission_id"))
    return terms


def state(filters: Filters):
    """The row's state; with a date range, a completion outside it counts as the activity before it."""
    if not (filters.date_from or filters.date_to):
        return Enrolment.state
    inside = and_(*completed_between(filters.date_from, filters.date_to))
    return case((inside, COMPLETED), (Enrolment.last_activity_at.is_not(None), IN_PROGRESS), else_=NOT_STARTED)


def completed_between(first: date | None, last: date | None) -> list:
    """Terms for a completion on or after day ``first`` and on or before day ``last`` (either may be None)."""
    terms = [Enrolment.completed_at.is_not(None)]
    if first:
        terms.append(Enrolment.completed_at >= _start_of(first))
    if last:
        terms.append(Enrolment.completed_at < _start_of(last, next_day=True))
    return terms


OVERDUE, SOON = "overdue", "soon"


def urgency(day: date, due_on=Enrolment.due_on):
    """OVERDUE before ``day``, SOON within SOON_DAYS of it, else NULL (finished rows are sorted out later)."""
    return case((due_on < day, OVERDUE), (due_on <= day + timedelta(days=SOON_DAYS), SOON), else_=None)


def urgency_of(day: date, due_on: date | None) -> str | None:
    """``urgency`` in Python, for a due date already read."""
    if due_on is None or due_on > day + timedelta(days=SOON_DAYS):
        return None
    return OVERDUE if due_on < day else SOON


def behind_until(day: date) -> date:
    """The last due date that counts as behind: due within SOON_DAYS."""
    return day + timedelta(days=SOON_DAYS)


def _start_of(day: date, next_day: bool = False) -> datetime:
    return datetime.combine(day + timedelta(days=1 if next_day else 0), time.min, tzinfo=UTC)

