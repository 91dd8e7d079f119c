"""Recording and summarising what a learner has done. Counts come from SQL aggregates."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Lesson, LessonProgress, Module
from ..models.base import utcnow
from .catalogue import live_lessons

NOT_STARTED, VIEWED, COMPLETED = "not started", "viewed", "completed"


@dataclass(frozen=True)
class Tally:
    """How many of a set of lessons a learner has completed."""

    completed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def state(self) -> str:
        if self.total and self.completed == self.total:
            return COMPLETED
        return VIEWED if self.completed else NOT_STARTED


def _upsert(user_id: int, lesson_id: int, on_conflict: dict, **values) -> None:
    """Insert the learner's row for the lesson, or update it; safe when two requests race."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LessonProgress).values(user_id=user_id, lesson_id=lesson_id, **values)
    db.session.execute(statement.on_conflict_do_update(index_elements=["user_id", "lesson_id"], set_=on_conflict))


def record_view(user_id: int, lesson_id: int) -> None:
    """Note that the learner opened the lesson (first and latest view)."""
    now = utcnow()
    _upsert(user_id, lesson_id, {"last_viewed_at": now}, viewed_at=now, last_viewed_at=now)


def mark_complete(user_id: int, lesson_id: int) -> None:
    """Mark the lesson complete; the first completion time is kept."""
    now = utcnow()
    _upsert(user_id, lesson_id,
            {"completed_at": func.coalesce(LessonProgress.completed_at, now), "last_viewed_at": now},
            viewed_at=now, last_viewed_at=now, completed_at=now)


def lesson_states(user_id: int, lesson_ids: list[int]) -> dict[int, str]:
    """Each lesson's state for the learner: not started, viewed or completed."""
    rows = db.session.execute(
        select(LessonProgress.lesson_id, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(lesson_ids))
    )
    states = dict.fromkeys(lesson_ids, NOT_STARTED)
    states.update({lesson_id: COMPLETED if done else VIEWED for lesson_id, done in rows})
    return states


def _tallies(group_column, user_id: int, *conditions) -> dict[int, Tally]:
    """Completed / total live lessons per ``group_column`` for one learner, in one query."""
    done = case((LessonProgress.completed_at.is_not(None), 1), else_=0)
    query = (
        live_lessons().with_only_columns(group_column, func.count(Lesson.id), func.coalesce(func.sum(done), 0))
        .outerjoin(LessonProgress, (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user_id))
        .where(*conditions).group_by(group_column)
    )
    return {key: Tally(int(completed), int(total)) for key, total, completed in db.session.execute(query)}


def course_tallies(user_id: int) -> dict[int, Tally]:
    """Progress in every live course, keyed by course id."""
    return _tallies(Module.course_id, user_id)


def module_tallies(user_id: int, course_id: int | None = None) -> dict[int, Tally]:
    """Progress in each module (of one course, or of all), keyed by module id."""
    conditions = [Module.course_id == course_id] if course_id is not None else []
    return _tallies(Lesson.module_id, user_id, *conditions)


def started_course_ids(user_id: int) -> list[int]:
    """Courses the learner has opened, most recently active first."""
    rows = db.session.execute(
        live_lessons().with_only_columns(Module.course_id, func.max(LessonProgress.last_viewed_at))
        .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
        .where(LessonProgress.user_id == user_id)
        .group_by(Module.course_id).order_by(func.max(LessonProgress.last_viewed_at).desc())
    )
    return [course_id for course_id, _ in rows]


def next_lesson(user_id: int) -> Lesson | None:
    """Where to continue: the last lesson opened if unfinished, else the next unfinished one in its course."""
    last = db.session.scalar(
        live_lessons().join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
        .where(LessonProgress.user_id == user_id)
        .options(contains_eager(Lesson.module))
        .order_by(LessonProgress.last_viewed_at.desc(), LessonProgress.id.desc()).limit(1)
    )
    if last is None:
        return None
    completed = select(LessonProgress.lesson_id).where(
        LessonProgress.user_id == user_id, LessonProgress.completed_at.is_not(None))
    remaining = list(db.session.scalars(
        live_lessons().where(Module.course_id == last.module.course_id, Lesson.id.not_in(completed))
        .options(contains_eager(Lesson.module)).order_by(Module.position, Module.slug, Lesson.position, Lesson.slug)
    ))
    if last in remaining:
        return last
    order = _order_key(last)
    later = [lesson for lesson in remaining if _order_key(lesson) > order]
    return (later or remaining or [None])[0]


def _order_key(lesson: Lesson) -> tuple:
    return (lesson.module.position, lesson.module.slug, lesson.position, lesson.slug)

