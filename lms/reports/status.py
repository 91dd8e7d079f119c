"""Learners by status (not started, in progress, completed, overdue) per course, region, mission and cohort.

Each figure is an aggregate over the status rows (``Enrolment``: one per learner and course, at the
learner's own due date), read from their tallies: one query sums the counts by course, region (or
mission), state and due date, and its hundred or so rows are summed here by urgency into the course and
region (or mission) tables and the headline figures, named from the page's labels. The cohort table counts
the members of each cohort enrolled in each course, so a learner in two cohorts is in both of their rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import Date, func, literal, select

from .. import clock
from ..extensions import db
from ..models import CohortMember, Enrolment, Mission, StatusTally, cohort_course
from ..models.enrolment import COMPLETED, NO_DUE_DATE, NOT_STARTED
from .enrolment import (
    OVERDUE,
    Selection,
    conditions,
    prepared,
    selection,
    state,
    tally_conditions,
    urgency,
    urgency_of,
)
from .filters import Filters
from .labels import NO_MISSION, Labels
from .labels import load as load_labels

GROUPINGS = ("course", "region", "mission", "cohort")
MISSIONS = Mission.__table__


@dataclass(frozen=True)
class StatusRow:
    """Counts of learners by status for one group (a course, region, mission or cohort)."""

    key: str | int | None
    label: str
    enrolled: int
    not_started: int
    in_progress: int
    completed: int
    overdue: int
    due_soon: int = 0

    @property
    def rate(self) -> float:
        """Completion rate in percent."""
        return 100.0 * self.completed / self.enrolled if self.enrolled else 0.0


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the dashboard, with the due date when one date applies to everyone."""

    totals: StatusRow
    due_on: date | None


def status_table(filters: Filters, scope: set[str] | None, by: str, labels: Labels | None = None,
                 **where) -> list[StatusRow]:
    """Learners by status, grouped ``by`` course, region, mission or cohort."""
    return status_tables(filters, scope, (by,), labels, **where)[by]


def status_tables(filters: Filters, scope: set[str] | None, groupings=GROUPINGS, labels: Labels | None = None,
                  **where) -> dict[str, list[StatusRow]]:
    """Several status tables (see ``GROUPINGS``): one query for course/region/mission, one for cohorts."""
    unknown = set(groupings) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)!r}")
    labels = labels or load_labels()
    tables = {}
    if set(groupings) - {"cohort"}:
        counts = status_counts(filters, scope, by_mission="mission" in groupings, **where)
        tables = {by: _table(counts, by, labels) for by in groupings if by != "cohort"}
    if "cohort" in groupings:
        tables["cohort"] = _table(cohort_counts(filters, scope, **where), "cohort", labels)
    return tables


class Count(NamedTuple):
    """Status rows of one group key (a course, or a cohort) and place, in one state and urgency."""

    key: int
    place: int | str | None  # a mission's id, or a region (None: learners without a mission)
    state: str
    urgency: str | None
    n: int


class Counts(NamedTuple):
    """Counts, and the due dates among them (None for a learner without one): enough to tell whether one
    date applies to everyone counted (at least the earliest and latest date of each count)."""

    rows: list[Count]
    due_dates: set[date | None]
    by_mission: bool = False  # places are missions, else regions


def status_counts(filters: Filters, scope: set[str] | None, by_mission: bool = False, **where) -> Counts:
    """Status rows counted by course (the key), region (or mission), state and urgency.

    Read from the tallies, whose rows are one per course, mission, state and due date (for the chosen
    cohort, or EVERYONE), summed by region in SQL unless ``by_mission``; the urgency of a due date is
    worked out here. A date range changes what "completed" means, so it counts the status rows themselves.
    """
    rows = selection(filters, scope, **where)
    if filters.date_from or filters.date_to:
        return _row_counts(filters, rows, by_mission)
    query = prepared(f"status by mission {by_mission}", rows, lambda: _tally_counts(rows, by_mission))
    return _counted(db.session.connection().execute(query, rows.params).all(), by_mission)


def _tally_counts(rows: Selection, by_mission: bool):
    t = StatusTally.__table__.c
    if by_mission:  # one tally row per key already
        return select(t.course_id, t.mission_id, t.state, t.due_on, t.n).where(*tally_conditions(t, rows))
    region = MISSIONS.c.region  # NULL for the tallies' stand-in for no mission
    return (select(t.course_id, region, t.state, t.due_on, func.sum(t.n))
            .outerjoin(MISSIONS, MISSIONS.c.id == t.mission_id).where(*tally_conditions(t, rows))
            .group_by(t.course_id, region, t.state, t.due_on))


def _counted(tally_rows, by_mission: bool = False) -> Counts:
    """Tally rows (key, place, state, due date, n) summed by key, place, state and urgency today.

    A tight loop: a tally has about a thousand rows, against a few distinct due dates.
    """
    day = clock.today()
    urgencies: dict[date, str | None] = {}
    summed: dict[tuple, int] = {}
    for key, place, row_state, due_on, n in tally_rows:
        if due_on not in urgencies:
            urgencies[due_on] = urgency_of(day, _due(due_on))
        group = (key, place, row_state, urgencies[due_on])
        summed[group] = summed.get(group, 0) + n
    return Counts([Count(*group, n) for group, n in summed.items()], {_due(due_on) for due_on in urgencies},
                  by_mission)


def _due(tallied: date) -> date | None:
    return None if tallied == NO_DUE_DATE else tallied


def _row_counts(filters: Filters, rows: Selection, by_mission: bool) -> Counts:
    place = Enrolment.mission_id if by_mission else MISSIONS.c.region
    keys = (Enrolment.course_id, place, state(filters), urgency(clock.today()))
    query = (select(*keys, func.count(), *_due_range()).outerjoin(MISSIONS, MISSIONS.c.id == Enrolment.mission_id)
             .where(*conditions(rows)).group_by(*keys))
    return _row_counted(query, rows, by_mission)


def _due_range():
    """The earliest and latest due date, NO_DUE_DATE standing for none (so a learner without one is seen)."""
    due = func.coalesce(Enrolment.due_on, NO_DUE_DATE)
    return func.min(due, type_=Date), func.max(due, type_=Date)


def _row_counted(query, rows: Selection, by_mission: bool = False) -> Counts:
    counts, dates = [], set()
    for *count, first, last in db.session.execute(query, rows.params):
        counts.append(Count(*count))
        dates |= {_due(first), _due(last)}
    return Counts(counts, dates, by_mission)


def cohort_counts(filters: Filters, scope: set[str] | None, **where) -> Counts:
    """Members of each cohort (the key), in each of its courses, counted by state and urgency."""
    rows = selection(filters, scope, **where)
    if filters.date_from or filters.date_to:
        return _cohort_row_counts(filters, rows)
    t = StatusTally.__table__.c
    query = prepared("cohorts", rows, lambda: select(t.cohort_id, literal(None), t.state, t.due_on, func.sum(t.n))
                     .where(*tally_conditions(t, rows, every_cohort=True)).group_by(t.cohort_id, t.state, t.due_on))
    return _counted(db.session.connection().execute(query, rows.params).all())


def _cohort_row_counts(filters: Filters, rows: Selection) -> Counts:
    keys = (CohortMember.cohort_id, state(filters), urgency(clock.today()))
    query = (select(keys[0], literal(None), *keys[1:], func.count(), *_due_range())
             .join(cohort_course, cohort_course.c.cohort_id == CohortMember.cohort_id)
             .join(Enrolment, (Enrolment.user_id == CohortMember.user_id)
                   & (Enrolment.course_id == cohort_course.c.course_id))
             .where(*conditions(rows)).group_by(*keys))
    if filters.cohort_id:
        query = query.where(CohortMember.cohort_id == filters.cohort_id)
    return _row_counted(query, rows)


def _describe(by: str, labels: Labels, group) -> tuple:
    """A group's (sort key, key, label): a course or cohort by id, a mission by id (its code is the key)."""
    if by == "course":
        return labels.course(group), group, labels.course(group)
    if by == "cohort":
        return labels.cohort(group), group, labels.cohort(group)
    if by == "mission":
        mission = labels.mission(group)
        return mission.name, mission.code, mission.name
    region = group or NO_MISSION
    return region, region, region


def _table(counts: Counts, by: str, labels: Labels) -> list[StatusRow]:
    """Sum the counts into one status row per course, mission, region or cohort, in label order.

    Counts are summed by id first and named after, once per group; regions are summed from missions when
    the counts are by mission.
    """
    totals: dict = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    by_place = by in ("mission", "region")
    for count in counts.rows:
        figures = totals[count.place if by_place else count.key]
        figures[0] += count.n
        figures[1 if count.state == NOT_STARTED else 3 if count.state == COMPLETED else 2] += count.n
        if count.state != COMPLETED and count.urgency:
            figures[4 if count.urgency == OVERDUE else 5] += count.n
    if by == "region" and counts.by_mission:
        regions: dict = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
        for mission_id, figures in totals.items():
            region = regions[labels.mission(mission_id).region]
            region[:] = [a + b for a, b in zip(region, figures, strict=True)]
        totals = regions
    named = sorted(((_describe(by, labels, group), figures) for group, figures in totals.items()),
                   key=lambda item: item[0][0])
    return [StatusRow(key, label, *figures) for (_, key, label), figures in named]


def overview(filters: Filters, scope: set[str] | None,
             labels: Labels) -> tuple[dict[str, list[StatusRow]], Headline]:
    """The dashboard's course, region and cohort tables and its headline figures, in two queries."""
    counts = status_counts(filters, scope)
    tables = {by: _table(counts, by, labels) for by in ("course", "region")}
    tables["cohort"] = _table(cohort_counts(filters, scope), "cohort", labels)
    dates = counts.due_dates
    return tables, Headline(totals(tables["course"]), next(iter(dates)) if len(dates) == 1 else None)


def totals(rows: list[StatusRow]) -> StatusRow:
    """The sum of a table's rows."""
    fields = ("enrolled", "not_started", "in_progress", "completed", "overdue", "due_soon")
    return StatusRow(None, "All", *(sum(getattr(r, f) for r in rows) for f in fields))
