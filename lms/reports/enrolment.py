"""Who is expected to take which course: cohort members with the courses assigned to their cohort.

Every dashboard figure starts from these subqueries, so scope (a coordinator's regions)
and filters apply in one place, and everything stays a single SQL aggregate.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from ..models import (
    Cohort,
    CohortMember,
    Course,
    CourseActivity,
    CourseCompletion,
    Mission,
    User,
    UserRole,
    cohort_course,
)
from .filters import Filters

NO_MISSION = "(no mission)"


def cohort_rows(filters: Filters, scope: set[str] | None, **where) -> Select:
    """One row per (cohort, learner, course): the raw assignments, with mission, region and due date."""
    region = func.coalesce(Mission.region, NO_MISSION)
    query = (
        select(CohortMember.cohort_id, CohortMember.user_id, cohort_course.c.course_id, cohort_course.c.due_on,
               User.mission_id, region.label("region"))
        .join(Cohort, Cohort.id == CohortMember.cohort_id)
        .join(cohort_course, cohort_course.c.cohort_id == Cohort.id)
        .join(Course, Course.id == cohort_course.c.course_id)
        .join(User, User.id == CohortMember.user_id)
        .outerjoin(Mission, Mission.id == User.mission_id)
        .where(Course.visible(), User.active.is_(True),
               User.id.in_(select(UserRole.user_id).where(UserRole.role == "diplomat")))
    )
    if scope is not None:
        query = query.where(Mission.region.in_(scope))
    if filters.course_id:
        query = query.where(cohort_course.c.course_id == filters.course_id)
    if filters.cohort_id:
        query = query.where(CohortMember.cohort_id == filters.cohort_id)
    if filters.region:
        query = query.where(region == filters.region)
    if where.get("mission_id"):
        query = query.where(User.mission_id == where["mission_id"])
    if where.get("user_id"):
        query = query.where(User.id == where["user_id"])
    return query


def learner_rows(filters: Filters, scope: set[str] | None, **where):
    """One row per (learner, course), however many cohorts assign it; the earliest due date counts."""
    rows = cohort_rows(filters, scope, **where).subquery()
    return (
        select(rows.c.user_id, rows.c.course_id, rows.c.mission_id, rows.c.region,
               func.min(rows.c.due_on).label("due_on"))
        .group_by(rows.c.user_id, rows.c.course_id, rows.c.mission_id, rows.c.region)
    ).subquery("learner_rows")


def later_assignments(filters: Filters):
    """(cohort, learner, course) assignments that an earlier-due cohort of the same learner also makes.

    Leaving these out counts each learner once per course, at the earliest due date. Only learners in
    several cohorts are looked at, so this stays small however many learners there are.
    """
    other, other_course = aliased(CohortMember), cohort_course.alias("other_course")
    repeaters = select(CohortMember.user_id).group_by(CohortMember.user_id).having(func.count() > 1)
    mine, theirs = cohort_course.c.due_on, other_course.c.due_on
    earlier = or_(theirs < mine, and_(mine.is_(None), theirs.is_not(None)),
                  and_(theirs.is_not_distinct_from(mine), other.cohort_id < CohortMember.cohort_id))
    query = (
        select(CohortMember.cohort_id, CohortMember.user_id, cohort_course.c.course_id).distinct()
        .join(cohort_course, cohort_course.c.cohort_id == CohortMember.cohort_id)
        .join(other, and_(other.user_id == CohortMember.user_id, other.cohort_id != CohortMember.cohort_id))
        .join(other_course, and_(other_course.c.cohort_id == other.cohort_id,
                                 other_course.c.course_id == cohort_course.c.course_id))
        .where(CohortMember.user_id.in_(repeaters), earlier)
    )
    if filters.cohort_id:
        query = query.where(other.cohort_id == filters.cohort_id)
    return query.subquery("later_assignments")


def activity():
    """The latest thing each learner did in each course (a lesson opened, a quiz attempt started)."""
    return select(CourseActivity.user_id, CourseActivity.course_id, CourseActivity.last_at).subquery("activity")


def completions(filters: Filters):
    """Course completions, limited to the date range when one is given."""
    query = select(CourseCompletion.user_id, CourseCompletion.course_id, CourseCompletion.completed_at)
    if filters.date_from:
        query = query.where(CourseCompletion.completed_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(CourseCompletion.completed_at < _start_of(filters.date_to, next_day=True))
    return query.subquery("completions")


def _start_of(day: date, next_day: bool = False) -> datetime:
    return datetime.combine(day + timedelta(days=1 if next_day else 0), time.min, tzinfo=UTC)


def today() -> date:
    """Today's date in UTC, for overdue checks."""
    return datetime.now(UTC).date()

