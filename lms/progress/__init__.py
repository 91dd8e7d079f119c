"""Recording and summarising what a learner has done. Counts come from SQL aggregates."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, case, func, literal, null, select, union_all
from sqlalchemy.orm import contains_eager

from ..catalogue import live_lessons, live_quizzes
from ..catalogue.snapshot import ModuleEntry
from ..database.dialect import upsert, upsert_statement
from ..database.fixed import FixedRead
from ..enrolment import status
from ..extensions import db
from ..models import CourseActivity, Lesson, LessonProgress, Module, Quiz, QuizAttempt
from ..models.base import utcnow

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


def mark_complete(user_id: int, lesson: Lesson) -> None:
    """Mark the lesson complete; the first completion time is kept."""
    now = utcnow()
    _upsert(user_id, lesson.id,
            {"completed_at": func.coalesce(LessonProgress.completed_at, now), "last_viewed_at": now},
            viewed_at=now, last_viewed_at=now, completed_at=now)
    note_activity(user_id, lesson.module.course_id, now)


def note_activity(user_id: int, course_id: int, now) -> None:
    """Keep the learner's latest activity in the course, for reports."""
    first_at = db.session.scalar(upsert_statement(
        db.session.get_bind().dialect.name, CourseActivity, ["user_id", "course_id"],
        dict(user_id=user_id, course_id=course_id, first_at=now, last_at=now), {"last_at": now},
    ).returning(CourseActivity.first_at))
    status.note_activity(user_id, course_id, now, first=_same_instant(first_at, now))


def _same_instant(stored, moment) -> bool:
    # SQLite hands back naive UTC datetimes where PostgreSQL gives aware ones.
    return stored.replace(tzinfo=None) - (stored.utcoffset() or timedelta()) == \
        moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta())


PROGRESS, ATTEMPT = LessonProgress.__table__, QuizAttempt.__table__
LESSON, QUIZ, MODULE = Lesson.__table__, Quiz.__table__, Module.__table__


def _page_statement(lessons, quizzes):
    """One statement for a page's progress, built once from table columns (no ORM layer): the learner's rows
    for the ``lessons`` (done, opened recently) and best result per quiz of the ``quizzes`` (best score, passed).

    The page's scope is a subquery with one parameter, not a list of ids: a statement whose text never
    changes is compiled once, where an expanding list was rewritten on every request.
    """
    return union_all(
        select(literal("lesson").label("kind"), PROGRESS.c.lesson_id.label("id"),
               case((PROGRESS.c.completed_at.is_not(None), 1), else_=0).label("done"),
               case((PROGRESS.c.last_viewed_at >= bindparam("since"), 1), else_=0).label("recent"),
               null().label("best"))
        .where(PROGRESS.c.user_id == bindparam("user_id"), PROGRESS.c.lesson_id.in_(lessons)),
        select(literal("quiz"), ATTEMPT.c.quiz_id, func.max(case((ATTEMPT.c.passed.is_(True), 1), else_=0)), null(),
               func.max(ATTEMPT.c.percent))
        .where(ATTEMPT.c.user_id == bindparam("user_id"), ATTEMPT.c.quiz_id.in_(quizzes),
               ATTEMPT.c.submitted_at.is_not(None))
        .group_by(ATTEMPT.c.quiz_id),
    )


_MODULE_LESSONS = select(LESSON.c.id).where(LESSON.c.module_id == bindparam("scope_id"))
_MODULE_QUIZZES = select(QUIZ.c.id).where(QUIZ.c.module_id == bindparam("scope_id"))
_COURSE_MODULES = select(MODULE.c.id).where(MODULE.c.course_id == bindparam("scope_id"))
_COURSE_LESSONS = select(LESSON.c.id).where(LESSON.c.module_id.in_(_COURSE_MODULES))
_COURSE_QUIZZES = select(QUIZ.c.id).where(QUIZ.c.module_id.in_(_COURSE_MODULES))
_IN_MODULE = FixedRead(_page_statement(_MODULE_LESSONS, _MODULE_QUIZZES))
_IN_COURSE = FixedRead(_page_statement(_COURSE_LESSONS, _COURSE_QUIZZES))


@dataclass(frozen=True)
class PageProgress:
    """A learner's progress in the lessons and quizzes of one page."""

    states: dict[int, str]  # lesson id -> not started / viewed / completed, in the order asked
    recent: set[int]  # lessons opened within the last minute: a reload need not be recorded again
    quiz_results: dict[int, tuple[float | None, bool]]  # quiz id -> (best score, passed), for quizzes submitted

    def tally(self, module: ModuleEntry) -> Tally:
        """Progress in one of the page's modules: lessons completed and quiz passed."""
        quiz = module.quiz
        quiz_passed = quiz is not None and self.quiz_results.get(quiz.id, (None, False))[1]
        completed = sum(self.states[lesson.id] == COMPLETED for lesson in module.lessons)
        return Tally(completed + int(quiz_passed), len(module.lessons) + int(quiz is not None))


def module_progress(user_id: int, module_id: int, lesson_ids: list[int], quiz_ids: list[int]) -> PageProgress:
    """The learner's states of these lessons and results of these quizzes, all of one module (one query)."""
    return _page_progress(_IN_MODULE, module_id, user_id, lesson_ids, quiz_ids)


def course_progress(user_id: int, course_id: int, lesson_ids: list[int], quiz_ids: list[int]) -> PageProgress:
    """The learner's states of these lessons and results of these quizzes, all of one course (one query)."""
    return _page_progress(_IN_COURSE, course_id, user_id, lesson_ids, quiz_ids)


def _page_progress(statement, scope_id: int, user_id: int, lesson_ids: list[int], quiz_ids: list[int],
                   recent_seconds: int = 60) -> PageProgress:
    since = utcnow() - timedelta(seconds=recent_seconds)
    rows = statement.rows(user_id=user_id, scope_id=scope_id, since=since)
    states = dict.fromkeys(lesson_ids, NOT_STARTED)
    recent, results, asked_quizzes = set(), {}, set(quiz_ids)
    for kind, item_id, done, opened_recently, best in rows:
        if kind == "lesson" and item_id in states:  # the scope also holds hidden and retired lessons
            states[item_id] = COMPLETED if done else VIEWED
            if opened_recently:
                recent.add(item_id)
        elif kind == "quiz" and item_id in asked_quizzes:
            results[item_id] = (best, bool(done))
    return PageProgress(states, recent, results)


def _tallies(by_module: bool, user_id: int, *conditions) -> dict[int, Tally]:
    """Completed / total steps (live lessons and quizzes) per module, or per course, for one learner, in two queries.

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

