"""Training rounds: cohorts, their enrolments in courses with due dates, members, moves and extensions.

Enrolment never restricts access (every published course is open to every diplomat); it adds a due
date, reminders and reporting. Each function adds and flushes and keeps the status rows
(``status.refresh``) in step in the same transaction; the view or command that calls it commits once.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, select

from .. import clock
from ..extensions import db
from ..models import Cohort, CohortCourse, CohortMember, Course, Enrolment, Extension, User
from ..models.enrolment import COMPLETED, is_overdue
from . import status


class EnrolmentError(ValueError):
    """A refusal with a message for the person who asked (an unknown name, a duplicate, ...)."""


class PastDueDate(EnrolmentError):
    """The due date is before today: allowed only when the person confirms it."""


def find_cohort(name: str) -> Cohort:
    """The cohort of that name (case-insensitive), or EnrolmentError naming it."""
    cohort = db.session.scalar(select(Cohort).where(func.lower(Cohort.name) == name.strip().lower()))
    if cohort is None:
        raise EnrolmentError(f"There is no cohort named {name!r}.")
    return cohort


def find_course(slug: str) -> Course:
    """The course with that slug, or EnrolmentError naming it."""
    course = db.session.scalar(select(Course).where(Course.slug == slug.strip()))
    if course is None:
        raise EnrolmentError(f"There is no course {slug!r}.")
    return course


def find_person(email: str) -> User:
    """The account with that email, or EnrolmentError naming it."""
    user = db.session.scalar(select(User).where(User.email_key(email)))
    if user is None:
        raise EnrolmentError(f"There is no account for {email!r}.")
    return user


def create_cohort(name: str) -> Cohort:
    """A new cohort; names are unique regardless of case."""
    name = " ".join(name.split())
    if not name:
        raise EnrolmentError("A cohort needs a name.")
    if db.session.scalar(select(Cohort.id).where(func.lower(Cohort.name) == name.lower())):
        raise EnrolmentError(f"A cohort named {name!r} already exists.")
    cohort = Cohort(name=name)
    db.session.add(cohort)
    db.session.flush()
    return cohort


def check_due_date(due_on: date | None, confirmed: bool) -> None:
    """Refuse a due date before today (in TIMEZONE) unless the person confirmed it."""
    if due_on is not None and due_on < clock.today() and not confirmed:
        raise PastDueDate(f"The due date {due_on.isoformat()} is in the past.")


def enrol_cohort(cohort: Cohort, course: Course, due_on: date | None, confirmed: bool = False) -> CohortCourse:
    """Enrol the cohort in the course by ``due_on``, or move the due date of an existing enrolment."""
    check_due_date(due_on, confirmed)
    enrolment = db.session.get(CohortCourse, (cohort.id, course.id))
    if enrolment is None:
        enrolment = CohortCourse(cohort_id=cohort.id, course_id=course.id)
        db.session.add(enrolment)
    enrolment.due_on = due_on
    status.refresh(member_ids(cohort), [course.id])
    return enrolment


def unenrol_cohort(cohort: Cohort, course: Course) -> None:
    """End the cohort's enrolment in the course (the learners' own records stay)."""
    db.session.execute(delete(CohortCourse).where(CohortCourse.cohort_id == cohort.id,
                                                  CohortCourse.course_id == course.id))
    status.refresh(member_ids(cohort), [course.id])


def member_ids(cohort: Cohort) -> list[int]:
    """The ids of the cohort's members."""
    return list(db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)))


def add_members(cohort: Cohort, users: Iterable[User]) -> int:
    """Add people to the cohort (those already in it are left as they are); returns how many joined."""
    present = set(member_ids(cohort))
    joining = [user.id for user in users if user.id not in present]
    db.session.add_all(CohortMember(cohort_id=cohort.id, user_id=user_id) for user_id in set(joining))
    status.refresh(joining)
    return len(set(joining))


def remove_member(cohort: Cohort, user: User) -> None:
    """Take the person out of the cohort."""
    db.session.execute(delete(CohortMember).where(CohortMember.cohort_id == cohort.id,
                                                  CohortMember.user_id == user.id))
    status.refresh([user.id])


def move_member(user: User, source: Cohort, target: Cohort) -> None:
    """Move the person from one cohort to another."""
    if user.id not in member_ids(source):
        raise EnrolmentError(f"{user.email} is not in {source.name}.")
    if source.id == target.id:
        raise EnrolmentError(f"{user.email} is already in {target.name}.")
    db.session.execute(delete(CohortMember).where(CohortMember.cohort_id == source.id,
                                                  CohortMember.user_id == user.id))
    if user.id not in member_ids(target):
        db.session.add(CohortMember(cohort_id=target.id, user_id=user.id))
    status.refresh([user.id])


def extend(user: User, course: Course, due_on: date, granted_by: User | None = None,
           confirmed: bool = False) -> Extension:
    """Give one enrolled person a new due date in one course; it replaces the date their cohorts give."""
    check_due_date(due_on, confirmed)
    if not is_enrolled(user, course):
        raise EnrolmentError(f"{user.email} is not enrolled in {course.title}.")
    extension = db.session.get(Extension, (user.id, course.id))
    if extension is None:
        extension = Extension(user_id=user.id, course_id=course.id, due_on=due_on)
        db.session.add(extension)
    extension.due_on = due_on
    extension.granted_at = clock.now()
    extension.granted_by_id = granted_by.id if granted_by else None
    status.refresh([user.id], [course.id])
    return extension


def is_enrolled(user: User, course: Course) -> bool:
    """True when a cohort of the person's is enrolled in the course."""
    return db.session.scalar(
        select(func.count()).select_from(CohortMember)
        .join(CohortCourse, CohortCourse.cohort_id == CohortMember.cohort_id)
        .where(CohortMember.user_id == user.id, CohortCourse.course_id == course.id)) > 0


@dataclass(frozen=True)
class DueDate:
    """When one learner should finish one course, and where they stand in it."""

    course_id: int
    due_on: date | None
    extended: bool
    state: str

    @property
    def finished(self) -> bool:
        return self.state == COMPLETED

    def days_left(self, today: date) -> int | None:
        """Days until the due date (negative once overdue); None without a date."""
        return None if self.due_on is None else (self.due_on - today).days

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.state, self.due_on, today)


def due_dates(user_id: int) -> dict[int, DueDate]:
    """The learner's enrolled courses with their due dates, most urgent first (unfinished by date, then finished)."""
    rows = db.session.execute(select(Enrolment.course_id, Enrolment.due_on, Enrolment.extended, Enrolment.state)
                              .where(Enrolment.user_id == user_id)).all()
    return {due.course_id: due for due in sorted((DueDate(*row) for row in rows), key=urgency)}


def urgency(due: DueDate) -> tuple:
    """Sort key: unfinished courses by due date (overdue first), then those without a date, then finished ones."""
    return (due.finished, due.due_on is None, due.due_on or date.max)
