"""Read-only look-ups of the content learners may see: pages from the worker's snapshot, quizzes and assets from SQL."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Asset, Course, Lesson, Module, Quiz
from . import snapshot
from .snapshot import CourseEntry, LessonEntry, ModuleEntry, QuizEntry


def live_lessons() -> Select:
    """Lessons a learner may see, joined to their live module and course."""
    return (
        select(Lesson)
        .join(Lesson.module)
        .join(Module.course)
        .where(Lesson.visible(), Module.visible(), Course.visible())
    )


def live_quizzes() -> Select:
    """Quizzes a learner may see, joined to their live module and course."""
    return (
        select(Quiz)
        .join(Quiz.module)
        .join(Module.course)
        .where(Quiz.retired_at.is_(None), Module.visible(), Course.visible())
    )


def find_quiz(course_slug: str, module_slug: str) -> Quiz | None:
    """The live quiz of a module, with module and course loaded."""
    return db.session.scalar(
        live_quizzes().where(Course.slug == course_slug, Module.slug == module_slug)
        .options(contains_eager(Quiz.module).contains_eager(Module.course))
    )


def list_courses() -> list[CourseEntry]:
    """Every live course in catalogue order."""
    return snapshot.current().courses


def find_course(slug: str) -> CourseEntry | None:
    """The live course with this slug."""
    return snapshot.current().course(slug)


def course_outline(course: CourseEntry) -> list[tuple[ModuleEntry, list[LessonEntry]]]:
    """The course's live modules that have live lessons, each with those lessons, in order."""
    return [(module, module.lessons) for module in course.modules if module.lessons]


def find_module(course_slug: str, module_slug: str) -> ModuleEntry | None:
    """The live module at this address (its course is ``module.course``)."""
    course = find_course(course_slug)
    return course.module(module_slug) if course else None


def next_module(course_slug: str, module_slug: str) -> ModuleEntry | None:
    """The live module after this one in its course, or None after the last."""
    course = find_course(course_slug)
    if course is None:
        return None
    slugs = [module.slug for module in course.modules]
    place = slugs.index(module_slug) + 1 if module_slug in slugs else len(slugs)
    return course.modules[place] if place < len(slugs) else None


def find_lesson(course_slug: str, module_slug: str, lesson_slug: str) -> LessonEntry | None:
    """The live lesson at this address (its module and course are ``lesson.module`` and ``lesson.module.course``)."""
    module = find_module(course_slug, module_slug)
    return module.lesson(lesson_slug) if module else None


def find_quiz_entry(course_slug: str, module_slug: str) -> QuizEntry | None:
    """The live quiz of a module as the quiz page shows it (no questions; ``find_quiz`` has them)."""
    module = find_module(course_slug, module_slug)
    return module.quiz if module else None


def live_modules_by_course() -> dict[int, list[ModuleEntry]]:
    """Every live module, grouped by course id, in order."""
    return {course.id: course.modules for course in snapshot.current().courses}


def find_asset(course_slug: str, module_slug: str, filename: str) -> Asset | None:
    """An asset of a live module."""
    return db.session.scalar(
        select(Asset).join(Asset.module).join(Module.course)
        .where(Course.slug == course_slug, Module.slug == module_slug, Asset.filename == filename,
               Module.visible(), Course.visible())
    )
