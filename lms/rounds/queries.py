"""Read-only look-ups for the cohort pages, each limited to the people a coordinator may see.

``scope`` is ``region_scope(user)``: a set of regions, or None for every region. A person outside the
scope is never counted, listed or found (the views answer 404, as if they did not exist).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Cohort, CohortCourse, CohortMember, Course, Enrolment, Mission, User, UserRole

PAGE_SIZE = 100  # members shown per page of a cohort
CANDIDATE_LIMIT = 50  # people offered at once to add; the filter narrows the rest


@dataclass
class CohortSummary:
    """A cohort as the list shows it: its enrolments and the members the viewer may see."""

    cohort: Cohort
    enrolments: list[CohortCourse]
    members: int


def in_scope(query: Select, scope: set[str] | None) -> Select:
    """``query`` (over User) limited to the people in ``scope``'s regions."""
    if scope is None:
        return query
    return query.where(User.mission_id.in_(select(Mission.id).where(Mission.region.in_(sorted(scope)))))


def cohort_summaries(scope: set[str] | None) -> list[CohortSummary]:
    """Every cohort by name, with its courses and due dates and its member count in scope (three queries)."""
    cohorts = list(db.session.scalars(select(Cohort).order_by(Cohort.name)))
    enrolments: dict[int, list[CohortCourse]] = {cohort.id: [] for cohort in cohorts}
    for enrolment in db.session.scalars(_enrolments_query()):
        enrolments[enrolment.cohort_id].append(enrolment)
    counted = in_scope(select(CohortMember.cohort_id, func.count()).join(User, User.id == CohortMember.user_id), scope)
    counts = dict(db.session.execute(counted.group_by(CohortMember.cohort_id)).all())
    return [CohortSummary(cohort, enrolments[cohort.id], counts.get(cohort.id, 0)) for cohort in cohorts]


def _enrolments_query() -> Select:
    return (select(CohortCourse).join(Course, Course.id == CohortCourse.course_id)
            .options(contains_eager(CohortCourse.course)).order_by(CohortCourse.due_on, Course.title))


def enrolments_of(cohort: Cohort) -> list[CohortCourse]:
    """The cohort's course enrolments, soonest due first, with their courses (one query)."""
    return list(db.session.scalars(_enrolments_query().where(CohortCourse.cohort_id == cohort.id)))


def count_members(cohort: Cohort, scope: set[str] | None) -> int:
    """How many of the cohort's members are in scope."""
    query = in_scope(select(func.count()).select_from(CohortMember).join(User, User.id == CohortMember.user_id)
                     .where(CohortMember.cohort_id == cohort.id), scope)
    return db.session.scalar(query)


def members(cohort: Cohort, scope: set[str] | None, page: int = 1) -> list[User]:
    """One page of the cohort's members in scope, by name (missions loaded with them)."""
    query = in_scope(select(User).join(CohortMember, CohortMember.user_id == User.id)
                     .where(CohortMember.cohort_id == cohort.id), scope)
    return list(db.session.scalars(query.order_by(User.name, User.id)
                                   .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))


def states(user_ids: list[int], course_ids: list[int]) -> dict[tuple[int, int], Enrolment]:
    """The status rows of these people in these courses, by (user id, course id), in one query."""
    if not user_ids or not course_ids:
        return {}
    rows = db.session.scalars(select(Enrolment).where(Enrolment.user_id.in_(user_ids),
                                                      Enrolment.course_id.in_(course_ids)))
    return {(row.user_id, row.course_id): row for row in rows}


def candidates_query(cohort: Cohort, scope: set[str] | None, text: str = "") -> Select:
    """Active diplomats in scope who are not in the cohort, matching ``text`` in name, email or mission."""
    diplomats = select(UserRole.user_id).where(UserRole.role == "diplomat")
    present = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    query = in_scope(select(User).where(User.active.is_(True), User.id.in_(diplomats), User.id.not_in(present)),
                     scope)
    text = text.strip().lower()
    if text:
        pattern = f"%{text}%"
        missions = select(Mission.id).where(or_(func.lower(Mission.code).like(pattern),
                                                func.lower(Mission.name).like(pattern)))
        query = query.where(or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern),
                                User.mission_id.in_(missions)))
    return query


def candidates(cohort: Cohort, scope: set[str] | None, text: str = "") -> tuple[list[User], bool]:
    """Up to CANDIDATE_LIMIT people to offer, by name, and whether there are more."""
    found = list(db.session.scalars(candidates_query(cohort, scope, text).order_by(User.name, User.id)
                                    .limit(CANDIDATE_LIMIT + 1)))
    return found[:CANDIDATE_LIMIT], len(found) > CANDIDATE_LIMIT


def chosen_candidates(cohort: Cohort, scope: set[str] | None, user_ids: list[int]) -> list[User]:
    """The people among ``user_ids`` who may be added to the cohort (in scope, active diplomats, not in it)."""
    if not user_ids:
        return []
    return list(db.session.scalars(candidates_query(cohort, scope).where(User.id.in_(user_ids))))


def person_in_scope(user_id: int, scope: set[str] | None) -> User | None:
    """The account, if the viewer may see it; None for an unknown id and for someone outside the scope alike."""
    return db.session.scalar(in_scope(select(User).where(User.id == user_id), scope))


def is_member(cohort: Cohort, user: User) -> bool:
    """Whether the person is in the cohort."""
    return db.session.get(CohortMember, (cohort.id, user.id)) is not None


def cohorts_of(user: User) -> list[Cohort]:
    """The cohorts the person is in, by name."""
    return list(db.session.scalars(select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
                                   .where(CohortMember.user_id == user.id).order_by(Cohort.name)))


def other_cohorts(cohort: Cohort) -> list[tuple[int, str]]:
    """Every other cohort as (id, name), by name: where a member can be moved to."""
    query = select(Cohort.id, Cohort.name).where(Cohort.id != cohort.id).order_by(Cohort.name)
    return [(cohort_id, name) for cohort_id, name in db.session.execute(query)]


def courses() -> list[tuple[int, str]]:
    """Every course as (id, title), by title, for the enrol form."""
    return [(course_id, title) for course_id, title in db.session.execute(
        select(Course.id, Course.title).order_by(Course.title))]
