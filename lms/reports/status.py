"""Learners by status (not started, in progress, completed, overdue) per course, region, mission and cohort.

Each figure is an aggregate over the status rows (``Enrolment``: one per learner and course, at the
learner's own due date). One grouped query counts them by course, mission, state and urgency; its few
hundred rows are summed here into the course, region and mission tables and the headline figures. The
cohort table counts the members of each cohort enrolled in each course, so a learner in two cohorts is
in both of their rows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from .. import clock
from ..extensions import db
from ..models import Cohort, CohortMember, Course, Enrolment, Mission, StatusTally, cohort_course
from ..models.enrolment import COMPLETED, NO_DUE_DATE, NOT_STARTED
from .enrolment import conditions, mission_labels, state, tally_conditions, urgency
from .filters import Filters

GROUPINGS = ("course", "region", "mission", "cohort")


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


def status_table(filters: Filters, scope: set[str] | None, by: str, **where) -> list[StatusRow]:
    """Learners by status, grouped ``by`` course, region, mission or cohort."""
    return status_tables(filters, scope, (by,), **where)[by]


def status_tables(filters: Filters, scope: set[str] | None, groupings=GROUPINGS, **where) -> dict[str, list[StatusRow]]:
    """Several status tables (see ``GROUPINGS``): one query for course/region/mission, one for cohorts."""
    unknown = set(groupings) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)!r}")
    tables = {}
    if set(groupings) - {"cohort"}:
        counts = db.session.execute(status_counts(filters, scope, **where)).all()
        tables = {by: _table(counts, _COLUMNS[by]) for by in groupings if by != "cohort"}
    if "cohort" in groupings:
        tables["cohort"] = _table(db.session.execute(cohort_counts(filters, scope, **where)).all(), 0)
    return tables


def status_counts(filters: Filters, scope: set[str] | None, **where):
    """Status rows counted by course, mission, state and urgency, with their labels (twice: key and sort order).

    Summed from the tallies; a date range changes what "completed" means, so it counts the rows themselves.
    """
    if filters.date_from or filters.date_to:
        return _row_counts(filters, scope, **where)
    t = StatusTally
    due = case((t.due_on == NO_DUE_DATE, None), else_=t.due_on)
    keys = (t.course_id, t.mission_id, t.state.label("state"), urgency(clock.today(), t.due_on).label("urgency"))
    g = (select(*keys, func.sum(t.n).label("n"), func.min(due).label("first_due"), func.max(due).label("last_due"))
         .where(*tally_conditions(t, filters, scope, **where)).group_by(*keys)).subquery("counts").c
    return _labelled(g)


def _row_counts(filters: Filters, scope: set[str] | None, **where):
    keys = (Enrolment.course_id, Enrolment.mission_id, state(filters).label("state"),
            urgency(clock.today()).label("urgency"))
    g = (select(*keys, func.count().label("n"), func.min(Enrolment.due_on).label("first_due"),
                func.max(Enrolment.due_on).label("last_due"))
         .where(*conditions(filters, scope, **where)).group_by(*keys)).subquery("counts").c
    return _labelled(g)


def _labelled(g):
    mission, region = mission_labels()
    return (
        select(g.course_id, Course.title, Course.title, Mission.code, mission, mission, region, region, region,
               g.state, g.urgency, g.n, g.first_due, g.last_due)
        .join(Course, Course.id == g.course_id).outerjoin(Mission, Mission.id == g.mission_id)
    )


def cohort_counts(filters: Filters, scope: set[str] | None, **where):
    """Members of each cohort, in each of its courses, counted by state and urgency (through their status rows)."""
    if filters.date_from or filters.date_to:
        return _cohort_row_counts(filters, scope, **where)
    t = StatusTally
    due = case((t.due_on == NO_DUE_DATE, None), else_=t.due_on)
    keys = (t.cohort_id, t.state.label("state"), urgency(clock.today(), t.due_on).label("urgency"))
    g = (select(*keys, func.sum(t.n).label("n"), func.min(due).label("first_due"), func.max(due).label("last_due"))
         .where(*tally_conditions(t, filters, scope, every_cohort=True, **where)).group_by(*keys)).subquery("counts").c
    return (select(g.cohort_id, Cohort.name, Cohort.name, g.state, g.urgency, g.n, g.first_due, g.last_due)
            .join(Cohort, Cohort.id == g.cohort_id))


def _cohort_row_counts(filters: Filters, scope: set[str] | None, **where):
    keys = (CohortMember.cohort_id, state(filters).label("state"), urgency(clock.today()).label("urgency"))
    g = (select(*keys, func.count().label("n"), func.min(Enrolment.due_on).label("first_due"),
                func.max(Enrolment.due_on).label("last_due"))
         .join(cohort_course, cohort_course.c.cohort_id == CohortMember.cohort_id)
         .join(Enrolment, (Enrolment.user_id == CohortMember.user_id)
               & (Enrolment.course_id == cohort_course.c.course_id))
         .where(*conditions(filters, scope, **where)).group_by(*keys)).subquery("counts").c
    g_where = [g.cohort_id == filters.cohort_id] if filters.cohort_id else []
    return (select(g.cohort_id, Cohort.name, Cohort.name, g.state, g.urgency, g.n, g.first_due, g.last_due)
            .join(Cohort, Cohort.id == g.cohort_id).where(*g_where))


_COLUMNS = {"course": 0, "mission": 3, "region": 6}  # where each grouping's key, label and sort key are


def _table(counts, at: int) -> list[StatusRow]:
    """Sum the grouped counts into one status row per group, in label order.

    Sorted here: ranking labels with window functions in SQL cost SQLite 20 ms over the grouped rows.
    """
    totals: dict = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for row in counts:
        row_state, row_urgency, n = row[-5], row[-4], row[-3]
        figures = totals[(row[at + 2], row[at], row[at + 1])]
        figures[0] += n
        figures[1 if row_state == NOT_STARTED else 3 if row_state == COMPLETED else 2] += n
        if row_state != COMPLETED and row_urgency:
            figures[4 if row_urgency == "overdue" else 5] += n
    return [StatusRow(key, label, *figures) for (_, key, label), figures in sorted(totals.items(),
                                                                                    key=lambda item: item[0][0])]


def overview(filters: Filters, scope: set[str] | None) -> tuple[dict[str, list[StatusRow]], Headline]:
    """The dashboard's course, region and cohort tables and its headline figures, in two queries."""
    counts = db.session.execute(status_counts(filters, scope)).all()
    tables = {by: _table(counts, _COLUMNS[by]) for by in ("course", "region")}
    tables["cohort"] = _table(db.session.execute(cohort_counts(filters, scope)).all(), 0)
    dates = {row.first_due for row in counts} | {row.last_due for row in counts}
    return tables, Headline(totals(tables["course"]), next(iter(dates)) if len(dates) == 1 else None)


def totals(rows: list[StatusRow]) -> StatusRow:
    """The sum of a table's rows."""
    fields = ("enrolled", "not_started", "in_progress", "completed", "overdue", "due_soon")
    return StatusRow(None, "All", *(sum(getattr(r, f) for r in rows) for f in fields))
