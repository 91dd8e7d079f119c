"""Learners by status (not started, in progress, completed, overdue) per course, region, mission and cohort.

One grouped SQL query counts the assignments (cohort, learner, course) by cohort, course, mission and
status; its few hundred rows are summed here into every table the dashboard shows. The course, region and
mission tables count each learner once per course, through the assignment with the earliest due date
(``first``); the cohort table counts every assignment.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Row, and_, func, select

from ..extensions import db
from ..models import Cohort, CohortMember, Course, Mission, cohort_course
from .enrolment import NO_MISSION, activity, cohort_rows, completions, later_assignments, today
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

    @property
    def rate(self) -> float:
        """Completion rate in percent."""
        return 100.0 * self.completed / self.enrolled if self.enrolled else 0.0


def status_table(filters: Filters, scope: set[str] | None, by: str, **where) -> list[StatusRow]:
    """Learners by status, grouped ``by`` course, region, mission or cohort, in one query."""
    return status_tables(filters, scope, (by,), **where)[by]


def status_tables(filters: Filters, scope: set[str] | None, groupings=GROUPINGS, **where) -> dict[str, list[StatusRow]]:
    """Several status tables (see ``GROUPINGS``) from the one grouped query ``status_counts``."""
    unknown = set(groupings) - set(GROUPINGS)
    if unknown:
        raise ValueError(f"unknown grouping {sorted(unknown)!r}")
    counts = db.session.execute(status_counts(filters, scope, **where)).all()
    return {by: _table(counts, by) for by in groupings}


def status_counts(filters: Filters, scope: set[str] | None, **where):
    """Assignments counted by cohort, course, mission, status and whether each is the learner's first.

    Labels and their sort order (ranked by the database, so ordering follows its collation) come along.
    """
    done, act, later = completions(filters), activity(), later_assignments(filters)
    assignments = (
        cohort_rows(filters, scope, **where)
        .add_columns(done.c.user_id.is_not(None).label("done"), act.c.user_id.is_not(None).label("started"),
                     later.c.user_id.is_(None).label("first"))
        .outerjoin(done, and_(done.c.user_id == CohortMember.user_id, done.c.course_id == cohort_course.c.course_id))
        .outerjoin(act, and_(act.c.user_id == CohortMember.user_id, act.c.course_id == cohort_course.c.course_id))
        .outerjoin(later, and_(later.c.cohort_id == CohortMember.cohort_id, later.c.user_id == CohortMember.user_id,
                               later.c.course_id == cohort_course.c.course_id))
    ).subquery("assignments")
    a = assignments.c
    keys = (a.cohort_id, a.course_id, a.mission_id, a.done, a.started, a.first, (a.due_on < today()).label("late"))
    g = select(*keys, func.count().label("n")).group_by(*keys).subquery("counts").c
    mission, region = func.coalesce(Mission.name, NO_MISSION), func.coalesce(Mission.region, NO_MISSION)
    return (
        select(g.cohort_id, Cohort.name, func.dense_rank().over(order_by=Cohort.name),
               g.course_id, Course.title, func.dense_rank().over(order_by=Course.title),
               Mission.code, mission, func.dense_rank().over(order_by=mission),
               region, region, func.dense_rank().over(order_by=region),
               g.done, g.started, g.late, g.first, g.n)
        .join(Cohort, Cohort.id == g.cohort_id).join(Course, Course.id == g.course_id)
        .outerjoin(Mission, Mission.id == g.mission_id)
    )


_COLUMNS = {"cohort": 0, "course": 3, "mission": 6, "region": 9}  # key, label, rank for each grouping


def _table(counts: list[Row], by: str) -> list[StatusRow]:
    """Sum the grouped counts into one status row per group, in the database's label order."""
    at = _COLUMNS[by]
    totals: dict = defaultdict(lambda: [0, 0, 0, 0, 0])
    for row in counts:
        *_, done, started, late, first, n = row
        if by != "cohort" and not first:
            continue
        figures = totals[(row[at + 2], row[at], row[at + 1])]
        figures[0] += n
        figures[1 if not done and not started else 2 if not done else 3] += n
        if not done and late:
            figures[4] += n
    return [StatusRow(key, label, *figures) for (_, key, label), figures in sorted(totals.items(),
                                                                                    key=lambda item: item[0][0])]
