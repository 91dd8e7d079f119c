"""The shape of a course in the studio: new courses, modules and lessons, their order, retiring them."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from ..content.sync import add_revisions
from ..content.tree import Page
from ..documents.errors import ContentError, Problem
from ..extensions import db
from ..models import Course, Lesson, Module
from ..models.base import utcnow
from .pages import check_page, page_path
from .revisions import apply_page


def _next_position(model, **parent) -> int:
    (column, value), = parent.items()
    return (db.session.scalar(select(func.max(model.position)).where(getattr(model, column) == value)) or 0) + 1


def _unique_slug(model, slug: str, **parent) -> None:
    query = select(model.id).where(model.slug == slug)
    for column, value in parent.items():
        query = query.where(getattr(model, column) == value)
    if db.session.scalar(query) is not None:
        raise ContentError([Problem("slug", 1, f"'{slug}' is already used here: choose another")])


def create_course(slug: str, text: str, author_id: int) -> Course:
    """A new draft course."""
    _unique_slug(Course, slug)
    position = (db.session.scalar(select(func.max(Course.position))) or 0) + 1
    course = Course(slug=slug, dirname=slug, position=position, title=slug, source="")
    db.session.add(course)
    apply_page(course, text)
    db.session.flush()
    add_revisions([course], author_id, "created")
    return course


def create_module(course: Course, slug: str, text: str, author_id: int) -> Module:
    """A new draft module at the end of the course."""
    return _create(Module, "course", course, slug, text, author_id, "{position:02d}-{slug}")


def check_new_lesson(module: Module, slug: str, text: str) -> tuple[Page, str]:
    """Validate and render a new lesson's text where it will be placed, writing nothing; raises ContentError."""
    _unique_slug(Lesson, slug, module_id=module.id)
    position = _next_position(Lesson, module_id=module.id)
    path = page_path("lesson", module.course, module, f"{position:02d}-{slug}.md")
    return check_page("lesson", path, text, slug, position)


def create_lesson(module: Module, slug: str, text: str, author_id: int,
                  checked: tuple[Page, str] | None = None) -> Lesson:
    """A new lesson at the end of the module (``checked`` by check_new_lesson, else checked here)."""
    return _create(Lesson, "module", module, slug, text, author_id, "{position:02d}-{slug}.md", checked)


def _create(model, parent_name: str, parent, slug: str, text: str, author_id: int, name_pattern: str,
            checked: tuple[Page, str] | None = None):
    _unique_slug(model, slug, **{f"{parent_name}_id": parent.id})
    position = _next_position(model, **{f"{parent_name}_id": parent.id})
    name_field = "filename" if model is Lesson else "dirname"
    row = model(slug=slug, position=position, title=slug, source="", **{parent_name: parent},
                **{name_field: name_pattern.format(position=position, slug=slug)})
    db.session.add(row)
    apply_page(row, text, checked)
    db.session.flush()
    add_revisions([row], author_id, "created")
    return row


def move(row, step: int) -> None:
    """Move a module or lesson up (-1) or down (+1) among its siblings, renumbering their names."""
    model, parent = (Module, "course_id") if isinstance(row, Module) else (Lesson, "module_id")
    siblings = list(db.session.scalars(select(model).where(getattr(model, parent) == getattr(row, parent),
                                                            model.retired_at.is_(None))
                                       .order_by(model.position, model.slug)))
    index = siblings.index(row)
    target = min(max(index + step, 0), len(siblings) - 1)
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
        name_field = "dirname" if model is Module else "filename"
        name = re.sub(r"^\d+-", "", getattr(sibling, name_field))
        setattr(sibling, name_field, f"{position:02d}-{name}")
    db.session.flush()


def retire(row) -> None:
    """Hide a page from learners for good; progress and attempts stay.

    The row is marked as changed in the browser, so a later import does not bring it back from its file.
    """
    row.retired_at = utcnow()
    row.imported_hash = None
    db.session.flush()
