"""Status rows (``Enrolment``): what the raw records say each one should be, and keeping them so.

``expected_rows`` is the one definition, in SQL. ``refresh`` applies it to a few learners or courses
inside the transaction of the write that changed them; ``rebuild`` writes every row at once (the
demo generator, a repair); ``differences`` compares the stored rows with it for ``check-status``.
Lesson views and completions, the hottest writes, use ``note_activity`` and ``note_completion``:
one UPDATE each (and a tally upsert when the state changes), with the same result as a refresh.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, String, case, cast, delete, func, insert, select, tuple_, update

from ..extensions import db
from ..models import (
    CohortCourse,
    CohortMember,
    CourseActivity,
    CourseCompletion,
    Enrolment,
    Extension,
    User,
    UserRole,
)
from ..models.enrolment import COMPLETED, IN_PROGRESS, NOT_STARTED
from . import tallies

COLUMNS = ("user_id", "course_id", "mission_id", "due_on", "extended", "state", "last_activity_at", "completed_at",
           "cohorts")


def expected_rows(user_ids: Iterable[int] | None = None, course_ids: Iterable[int] | None = None) -> Select:
    """The status rows the raw records call for: one per active diplomat and course a cohort of theirs has.

    The due date is the earliest any of their cohorts gives for the course, unless they have an extension.
    """
    assigned = (
        select(CohortMember.user_id, CohortCourse.course_id, func.min(CohortCourse.due_on).label("due_on"),
               func.aggregate_strings(cast(CohortMember.cohort_id, String), ",").label("cohorts"))
        .join(CohortCourse, CohortCourse.cohort_id == CohortMember.cohort_id)
        .group_by(CohortMember.user_id, CohortCourse.course_id)
    )
    if user_ids is not None:
        assigned = assigned.where(CohortMember.user_id.in_(list(user_ids)))
    if course_ids is not None:
        assigned = assigned.where(CohortCourse.course_id.in_(list(course_ids)))
    a = assigned.subquery("assigned")
    diplomats = select(UserRole.user_id).where(UserRole.role == "diplomat")
    state = case((CourseCompletion.user_id.is_not(None), COMPLETED),
                 (CourseActivity.user_id.is_not(None), IN_PROGRESS), else_=NOT_STARTED)
    return (
        select(a.c.user_id, a.c.course_id, User.mission_id, func.coalesce(Extension.due_on, a.c.due_on),
               Extension.user_id.is_not(None), state, CourseActivity.last_at, CourseCompletion.completed_at,
               a.c.cohorts)
        .join(User, User.id == a.c.user_id)
        .outerjoin(Extension, (Extension.user_id == a.c.user_id) & (Extension.course_id == a.c.course_id))
        .outerjoin(CourseActivity, (CourseActivity.user_id == a.c.user_id)
                   & (CourseActivity.course_id == a.c.course_id))
        .outerjoin(CourseCompletion, (CourseCompletion.user_id == a.c.user_id)
                   & (CourseCompletion.course_id == a.c.course_id))
        .where(User.active.is_(True), User.id.in_(diplomats))
    )


def _stored_rows(user_ids, course_ids, lock: bool = False) -> Select:
    query = select(*(getattr(Enrolment, column) for column in COLUMNS)).order_by(Enrolment.user_id, Enrolment.course_id)
    if lock:  # on PostgreSQL, before the raw records are read: a concurrent note_* waits, or is seen
        query = query.with_for_update()
    if user_ids is not None:
        query = query.where(Enrolment.user_id.in_(list(user_ids)))
    if course_ids is not None:
        query = query.where(Enrolment.course_id.in_(list(course_ids)))
    return query


def _keyed(query: Select) -> dict[tuple[int, int], dict]:
    return {(row[0], row[1]): dict(zip(COLUMNS, row, strict=True)) for row in db.session.execute(query)}


def _comparable(row: dict | None) -> tuple | None:
    # SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones: compare instants.
    if row is None:
        return None
    return tuple(tuple(tallies.cohort_ids(value)) if column == "cohorts"
                 else value.replace(tzinfo=None) - value.utcoffset() if isinstance(value, datetime) and value.tzinfo
                 else value for column, value in row.items())


def refresh(user_ids: Iterable[int] | None = None, course_ids: Iterable[int] | None = None) -> None:
    """Bring the status rows of these learners (and/or courses) in line with the raw records."""
    user_ids = None if user_ids is None else sorted(set(user_ids))
    course_ids = None if course_ids is None else sorted(set(course_ids))
    if user_ids == [] or course_ids == []:
        return
    db.session.flush()  # the raw records the caller just changed
    have = _keyed(_stored_rows(user_ids, course_ids, lock=True))
    want = _keyed(expected_rows(user_ids, course_ids))
    _change_tallies(have, want)
    gone = [key for key in have if key not in want]
    if gone:
        db.session.execute(delete(Enrolment).where(tuple_(Enrolment.user_id, Enrolment.course_id).in_(gone)))
    new = [row for key, row in want.items() if key not in have]
    if new:
        db.session.execute(insert(Enrolment), new)
    for key, row in want.items():
        if key in have and _comparable(have[key]) != _comparable(row):
            db.session.execute(update(Enrolment).where(Enrolment.user_id == key[0], Enrolment.course_id == key[1])
                               .values(**{c: row[c] for c in COLUMNS[2:]}))


def _change_tallies(have: dict, want: dict) -> None:
    """Take back what the changed rows added to the tallies, and add what their new versions add."""
    changed = [key for key in sorted(set(have) | set(want)) if _comparable(have.get(key)) != _comparable(want.get(key))]
    modules = tallies.module_completions(changed)
    changes: Counter = Counter()
    for key in changed:
        if key in have:
            changes.subtract(tallies.contributions(have[key], modules.get(key, ())))
        if key in want:
            changes.update(tallies.contributions(want[key], modules.get(key, ())))
    tallies.apply(changes)


def rebuild() -> int:
    """Write every status row afresh from the raw records; returns how many there are."""
    db.session.flush()
    db.session.execute(delete(Enrolment))
    db.session.execute(insert(Enrolment).from_select(list(COLUMNS), expected_rows()))
    tallies.rebuild()
    return db.session.scalar(select(func.count()).select_from(Enrolment))


def differences(limit: int = 20) -> tuple[int, list[str]]:
    """How many status rows differ from what the raw records say, and up to ``limit`` of them described.

    When every row matches, the tallies are checked against the rows instead (``rebuild`` repairs both).
    """
    want, have = _keyed(expected_rows()), _keyed(_stored_rows(None, None))
    described = []
    for key in sorted(set(want) | set(have)):
        if _comparable(want.get(key)) != _comparable(have.get(key)):
            described.append(_describe(key, have.get(key), want.get(key)))
    if not described:  # tallies are counted from the stored rows: only worth comparing once those are right
        described = tallies.differences()
    return len(described), described[:limit]


def _describe(key, stored: dict | None, expected: dict | None) -> str:
    where = f"learner {key[0]}, course {key[1]}"
    if stored is None:
        return f"{where}: missing (should be {expected['state']})"
    if expected is None:
        return f"{where}: should not exist (stored as {stored['state']})"
    changed = ", ".join(f"{column} is {old!r}, should be {new!r}" for column, old, new
                        in zip(COLUMNS, _comparable(stored), _comparable(expected), strict=True) if old != new)
    return f"{where}: {changed}"


def note_activity(user_id: int, course_id: int, moment: datetime, first: bool = False) -> None:
    """The learner did something in the course: their row, if enrolled, is in progress (unless completed).

    ``first``: the learner's first activity in the course (their course_activity row was just inserted).
    Only then can the row have been "not started" (a row is "in progress" exactly when that activity
    exists), so only then does its state, and so the tallies, change: one UPDATE either way.
    """
    statement = (update(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
                 .values(last_activity_at=moment,
                         state=case((Enrolment.state == NOT_STARTED, IN_PROGRESS), else_=Enrolment.state)))
    if not first:
        db.session.execute(statement)
        return
    row = db.session.execute(statement.returning(*_ROW)).mappings().first()
    if row is not None and row["state"] == IN_PROGRESS:
        _moved(dict(row, state=NOT_STARTED), dict(row))


def note_completion(user_id: int, course_id: int, moment: datetime) -> None:
    """The learner completed the course at ``moment`` (the first completion is the one kept)."""
    for before in (NOT_STARTED, IN_PROGRESS):  # one UPDATE per old state, so each knows what it changed
        done = db.session.execute(
            update(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id,
                                    Enrolment.completed_at.is_(None), Enrolment.state == before)
            .values(state=COMPLETED, completed_at=moment).returning(*_ROW)).mappings().first()
        if done is not None:
            _moved(dict(done, state=before, completed_at=None), dict(done))
            return


def note_module_completion(user_id: int, module_id: int, course_id: int) -> None:
    """The learner completed a module for the first time: count it for their status row, if enrolled."""
    row = db.session.execute(select(Enrolment.mission_id, Enrolment.cohorts).where(
        Enrolment.user_id == user_id, Enrolment.course_id == course_id).with_for_update()).first()
    if row is not None:
        tallies.apply(tallies.module_completed(row.mission_id, row.cohorts, module_id))


_ROW = (Enrolment.course_id, Enrolment.mission_id, Enrolment.due_on, Enrolment.state, Enrolment.completed_at,
        Enrolment.cohorts)


def _moved(before: dict, after: dict) -> None:
    changes = tallies.contributions(after)
    changes.subtract(tallies.contributions(before))
    tallies.apply(changes)
