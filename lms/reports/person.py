"""One learner, for a coordinator: enrolments with due dates and extensions, module progress, quiz attempts.

A handful of queries, each bounded by one learner's records; drafts and retired content are left out.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from .. import clock
from ..extensions import db
from ..models import (
    Cohort,
    CohortMember,
    Course,
    CourseActivity,
    Enrolment,
    Extension,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
    Quiz,
    QuizAttempt,
    User,
    cohort_course,
)
from ..models.enrolment import is_overdue
from .queries import live_quiz


def enrolments(user_id: int) -> list[dict]:
    """The learner's enrolments: course, state, due date, the extension if any, and the cohorts giving it."""
    granter = aliased(User)
    rows = db.session.execute(
        select(Course.id, Course.title, Enrolment.state, Enrolment.due_on, Enrolment.last_activity_at,
               Enrolment.completed_at, Extension.due_on, Extension.granted_at, granter.name)
        .join(Course, Course.id == Enrolment.course_id)
        .outerjoin(Extension, (Extension.user_id == Enrolment.user_id) & (Extension.course_id == Enrolment.course_id))
        .outerjoin(granter, granter.id == Extension.granted_by_id)
        .where(Enrolment.user_id == user_id, Course.visible()).order_by(Course.position, Course.title)
    ).all()
    cohorts = _cohorts(user_id)
    day = clock.today()
    return [dict(course_id=course_id, course=title, state=state, due_on=due_on, last_activity=last_at,
                 completed_at=completed_at, overdue=is_overdue(state, due_on, day),
                 extension=dict(due_on=ext_due, granted_at=granted_at, granted_by=granted_by) if ext_due else None,
                 cohorts=cohorts.get(course_id, []))
            for course_id, title, state, due_on, last_at, completed_at, ext_due, granted_at, granted_by in rows]


def _cohorts(user_id: int) -> dict[int, list[tuple[str, object]]]:
    """Per course, the learner's cohorts enrolled in it with each cohort's due date."""
    result: dict[int, list[tuple[str, object]]] = {}
    for course_id, name, due_on in db.session.execute(
            select(cohort_course.c.course_id, Cohort.name, cohort_course.c.due_on)
            .join(Cohort, Cohort.id == cohort_course.c.cohort_id)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user_id).order_by(cohort_course.c.due_on, Cohort.name)):
        result.setdefault(course_id, []).append((name, due_on))
    return result


def module_progress(user_id: int) -> list[dict]:
    """Each live module of the courses the learner is enrolled in or has worked in: lessons done, completion."""
    courses = (select(Enrolment.course_id).where(Enrolment.user_id == user_id)
               .union(select(CourseActivity.course_id).where(CourseActivity.user_id == user_id))).subquery()
    lessons = (select(Lesson.module_id, func.count(Lesson.id).label("total"),
                      func.count(LessonProgress.completed_at).label("done"))
               .outerjoin(LessonProgress, (LessonProgress.lesson_id == Lesson.id) & (LessonProgress.user_id == user_id))
               .where(Lesson.visible()).group_by(Lesson.module_id)).subquery()
    rows = db.session.execute(
        select(Course.title, Module.title, func.coalesce(lessons.c.done, 0), func.coalesce(lessons.c.total, 0),
               ModuleCompletion.completed_at)
        .join(Course, Course.id == Module.course_id)
        .outerjoin(lessons, lessons.c.module_id == Module.id)
        .outerjoin(ModuleCompletion, (ModuleCompletion.module_id == Module.id) & (ModuleCompletion.user_id == user_id))
        .where(Module.course_id.in_(select(courses.c.course_id)), Module.visible(), Course.visible())
        .order_by(Course.position, Course.title, Module.position)
    ).all()
    return [dict(course=course, module=module, done=int(done), total=int(total), completed_at=completed_at)
            for course, module, done, total, completed_at in rows]


def attempts(user_id: int) -> list[dict]:
    """The learner's submitted attempts at live quizzes, quiz by quiz, with score and result."""
    rows = db.session.execute(
        select(QuizAttempt.id, Course.title, Quiz.title, QuizAttempt.number, QuizAttempt.submitted_at,
               QuizAttempt.percent, QuizAttempt.passed)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id).join(Module, Module.id == Quiz.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.submitted_at.is_not(None), *live_quiz())
        .order_by(Course.position, Module.position, QuizAttempt.number)
    ).all()
    return [dict(id=id_, course=course, quiz=quiz, number=number, submitted_at=submitted_at, percent=percent,
                 passed=passed) for id_, course, quiz, number, submitted_at, percent, passed in rows]
