"""Read-only look-ups for the studio: every page in any state (drafts and retired included).

The learner's catalogue hides drafts and retired pages; trainers need to see them all.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import defer, joinedload

from ..extensions import db
from ..models import Asset, Course, Lesson, Module, Quiz, Revision, User

KINDS = {"course": Course, "module": Module, "lesson": Lesson, "quiz": Quiz}


def kind_of(row) -> str:
    """'course', 'module', 'lesson' or 'quiz'."""
    return next(name for name, model in KINDS.items() if isinstance(row, model))


def all_courses() -> list[Course]:
    """Every course, in catalogue order."""
    return list(db.session.scalars(select(Course).order_by(Course.position, Course.slug)))


def find_course(slug: str) -> Course | None:
    """The course with this slug, whatever its state."""
    return db.session.scalar(select(Course).where(Course.slug == slug))


def find_module(course_slug: str, module_slug: str) -> Module | None:
    """The module at this address, with its course loaded."""
    return db.session.scalar(
        select(Module).join(Module.course).options(joinedload(Module.course))
        .where(Course.slug == course_slug, Module.slug == module_slug))


def find_lesson(course_slug: str, module_slug: str, lesson_slug: str) -> Lesson | None:
    """The lesson at this address, with its module and course loaded."""
    return db.session.scalar(
        select(Lesson).join(Lesson.module).join(Module.course)
        .options(joinedload(Lesson.module).joinedload(Module.course))
        .where(Course.slug == course_slug, Module.slug == module_slug, Lesson.slug == lesson_slug))


def find_row(kind: str, object_id: int):
    """A course, module, lesson or quiz by its id; None for an unknown kind or id."""
    model = KINDS.get(kind)
    return db.session.get(model, object_id) if model is not None else None


def course_modules(course: Course) -> list[Module]:
    """The course's modules in order, retired ones included."""
    return list(db.session.scalars(select(Module).where(Module.course_id == course.id)
                                   .order_by(Module.position, Module.slug)))


def module_lessons(module: Module) -> list[Lesson]:
    """The module's lessons in order, retired ones included."""
    return list(db.session.scalars(select(Lesson).where(Lesson.module_id == module.id)
                                   .order_by(Lesson.position, Lesson.slug)))


def module_quiz(module: Module) -> Quiz | None:
    """The module's quiz, retired or not."""
    return db.session.scalar(select(Quiz).where(Quiz.module_id == module.id))


def module_assets(module: Module) -> list[Asset]:
    """The module's images and files, without their bytes."""
    return list(db.session.scalars(select(Asset).options(defer(Asset.data)).where(Asset.module_id == module.id)
                                   .order_by(Asset.filename)))


def find_asset(module: Module, filename: str) -> Asset | None:
    """One asset of a module, with its bytes."""
    return db.session.scalar(select(Asset).where(Asset.module_id == module.id, Asset.filename == filename))


def find_revision(row, revision_id: int | None) -> Revision | None:
    """A revision of this row (None when the id belongs to another row)."""
    if revision_id is None:
        return None
    revision = db.session.get(Revision, revision_id)
    if revision is None or revision.kind != kind_of(row) or revision.object_id != row.id:
        return None
    return revision


def author_names(revisions: list[Revision]) -> dict[int, str]:
    """The name of each revision's author, by user id (one query)."""
    ids = {r.author_id for r in revisions if r.author_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def owner_of(row) -> tuple[Course, Module | None]:
    """The course (and module) a page or quiz belongs to."""
    if isinstance(row, Course):
        return row, None
    if isinstance(row, Module):
        return row.course, row
    return row.module.course, row.module
