"""Read-only look-ups of the content learners may see."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, load_only

from ..extensions import db
from ..models import Asset, Course, Lesson, Module, Quiz


def live_courses() -> Select:
    """Courses a learner may see (later: published only)."""
    return select(Course).where(Course.visible())


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


def module_quizzes(module_ids: list[int]) -> dict[int, Quiz]:
    """The live quiz of each of these modules, keyed by module id (one query)."""
    query = live_quizzes().where(Quiz.module_id.in_(module_ids)).options(load_only(Quiz.id, Quiz.module_id, Quiz.title))
    return {quiz.module_id: quiz for quiz in db.session.scalars(query)}


def find_quiz(course_slug: str, module_slug: str) -> Quiz | None:
    """The live quiz of a module, with module and course loaded."""
    return db.session.scalar(
        live_quizzes().where(Course.slug == course_slug, Module.slug == module_slug)
        .options(contains_eager(Quiz.module).contains_eager(Module.course))
    )


def list_courses() -> list[Course]:
    """Every live course in catalogue order."""
    return list(db.session.scalars(live_courses().order_by(Course.position, Course.slug)))


def find_course(slug: str) -> Course | None:
    """The live course with this slug."""
    return db.session.scalar(live_courses().where(Course.slug == slug))


def course_outline(course: Course) -> list[tuple[Module, list[Lesson]]]:
    """The course's live modules, each with its live lessons, in order (one query)."""
    lessons = db.session.scalars(
        live_lessons().where(Module.course_id == course.id)
        .options(contains_eager(Lesson.module))
        .order_by(Module.position, Module.slug, Lesson.position, Lesson.slug)
    )
    outline: dict[int, tuple[Module, list[Lesson]]] = {}
    for lesson in lessons:
        outline.setdefault(lesson.module_id, (lesson.module, []))[1].append(lesson)
    return list(outline.values())


def find_lesson(course_slug: str, module_slug: str, lesson_slug: str) -> Lesson | None:
    """The live lesson at this address, with its module and course loaded."""
    return db.session.scalar(
        live_lessons()
        .where(Course.slug == course_slug, Module.slug == module_slug, Lesson.slug == lesson_slug)
        .options(contains_eager(Lesson.module).contains_eager(Module.course))
    )


def live_modules_by_course() -> dict[int, list[Module]]:
    """Every live module, grouped by course id, in order (one query)."""
    modules = db.session.scalars(
        select(Module).join(Module.course)
        .where(Module.visible(), Course.visible())
        .order_by(Module.position, Module.slug)
    )
    grouped: dict[int, list[Module]] = {}
    for module in modules:
        grouped.setdefault(module.course_id, []).append(module)
    return grouped


def module_lessons(module_id: int) -> list[Lesson]:
    """The live lessons of one module, in order."""
    return list(db.session.scalars(
        select(Lesson).where(Lesson.module_id == module_id, Lesson.visible())
        .order_by(Lesson.position, Lesson.slug)
    ))


def find_asset(course_slug: str, module_slug: str, filename: str) -> Asset | None:
    """An asset of a live module."""
    return db.session.scalar(
        select(Asset).join(Asset.module).join(Module.course)
        .where(Course.slug == course_slug, Module.slug == module_slug, Asset.filename == filename,
               Module.visible(), Course.visible())
    )
