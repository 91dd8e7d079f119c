"""Recording and summarising what a learner has done. Counts come from SQL aggregates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from ..database import upsert
from ..extensions import db
from ..models import CourseActivity, Lesson, LessonProgress, Module, Quiz, QuizAttempt
from ..models.base import utcnow
from .catalogue import live_lessons, live_quizzes

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
    upsert(LessonProgress, ["user_id", "lesson_id"], dict(user_id=user_id, lesson_id=lesson_id, **values), on_conflict)


def record_view(user_id: int, lesson: Lesson) -> None:
    """Note that the learner opened the lesson (first and latest view)."""
    now = utcnow()
    _upsert(user_id, lesson.id, {"last_viewed_at": now}, viewed_at=now, last_viewed_at=now)
    note_activity(user_id, lesson.module.course_id, now)


def viewed_recently(user_id: int, lesson_id: int, seconds: int = 60) -> bool:
    """True when the learner opened this lesson within ``seconds``: a reload need not be written again."""
    since = utcnow() - timedelta(seconds=seconds)
    return db.session.scalar(select(LessonProgress.id).where(
        LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson_id,
        LessonProgress.last_viewed_at >= since)) is not None


def mark_complete(user_id: int, lesson: Lesson) -> None:
    """Mark the lesson complete; the first completion time is kept."""
    now = utcnow()
    _upsert(user_id, lesson.id,
            {"completed_at": func.coalesce(LessonProgress.completed_at, now), "last_viewed_at": now},
            viewed_at=now, last_viewed_at=now, completed_at=now)
    note_activity(user_id, lesson.module.course_id, now)


def note_activity(user_id: int, course_id: int, now) -> None:
    """Keep the learner's latest activity in the course, for reports."""
    upsert(CourseActivity, ["user_id", "course_id"], dict(user_id=user_id, course_id=course_id, first_at=now,
                                                          last_at=now), {"last_at": now})


def lesson_states(user_id: int, lesson_ids: list[int]) -> dict[int, str]:
    """Each lesson's state for the learner: not started, viewed or completed."""
    rows = db.session.execute(
        select(LessonProgress.lesson_id, LessonProgress.completed_at)
        .where(LessonProgress.user_id == user_id, LessonProgress.lesson_id.in_(lesson_ids))
    )
    states = dict.fromkeys(lesson_ids, NOT_STARTED)
    states.update({lesson_id: COMPLETED if done else VIEWED for lesson_id, done in rows})
    return states


def _tallies(by_module: bool, user_id: int, *conditions) -> dict[int, Tally]:
    """Completed / total steps (live lessons and quizzes) per ``group_column`` for one learner, in two queries.

    A lesson counts once marked complete; a quiz counts once passed.
    """
    lesson_group = Lesson.module_id if by_module else Module.course_id
    quiz_group = Quiz.module_id if by_module else Module.course_id
    done = case((LessonProgress.completed_at.is_not(None), 1), else_=0)
    lessons = (
        live_lessons().with_only_columns(lesson_group, func.count(Lesson.id), func.coalesce(func.sum(done), 0))
        .outerjoin(LessonProgress, (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user_id))
        .where(*conditions).group_by(lesson_group)
    )
    passed = (select(QuizAttempt.quiz_id).where(QuizAttempt.user_id == user_id, QuizAttempt.passed.is_(True))
              .distinct().subquery())
    quizzes = (
        live_quizzes().with_only_columns(quiz_group, func.count(Quiz.id), func.count(passed.c.quiz_id))
        .outerjoin(passed, passed.c.quiz_id == Quiz.id).where(*conditions).group_by(quiz_group)
    )
    counts: dict[int, list[int]] = {}
    for query in (lessons, quizzes):
        for key, total, completed in db.session.execute(query):
            tally = counts.setdefault(key, [0, 0])
            tally[0] += int(completed)
            tally[1] += int(total)
    return {key: Tally(completed, total) for key, (completed, total) in counts.items()}


def course_tallies(user_id: int) -> dict[int, Tally]:
    """Progress in every live course, keyed by course id."""
    return _tallies(False, user_id)


def module_tallies(user_id: int, course_id: int | None = None) -> dict[int, Tally]:
    """Progress in each module (of one course, or of all), keyed by module id."""
    conditions = [Module.course_id == course_id] if course_id is not None else []
    return _tallies(True, user_id, *conditions)


def module_tally(user_id: int, module: Module) -> Tally:
    """Progress in one module."""
    return module_tallies(user_id, module.course_id).get(module.id, Tally(0, 0))


def quiz_results(user_id: int, quiz_ids: list[int]) -> dict[int, tuple[float | None, bool]]:
    """Best score and whether passed, per quiz the learner has submitted (one query)."""
    rows = db.session.execute(
        select(QuizAttempt.quiz_id, func.max(QuizAttempt.percent),
               func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)))
        .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id.in_(quiz_ids), QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.quiz_id))
    return {quiz_id: (best, bool(passed)) for quiz_id, best, passed in rows}


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

