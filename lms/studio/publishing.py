"""Publishing in the studio: a module goes live with its lessons, and only when every one of them validates."""
from __future__ import annotations

from sqlalchemy import select

from ..documents.errors import ContentError, Problem
from ..documents.frontmatter import with_draft
from ..extensions import db
from ..models import Lesson, Module, Quiz
from .lookups import kind_of
from .pages import check_page, check_quiz, page_path
from .revisions import save_page


def publishing_problems(module: Module) -> list[Problem]:
    """Why a module cannot be published: any of its lessons or its quiz fails validation."""
    problems: list[Problem] = []
    lessons = db.session.scalars(select(Lesson).where(Lesson.module_id == module.id, Lesson.retired_at.is_(None)))
    checked = [(row, kind_of(row)) for row in [module, *lessons]]
    for row, kind in checked:
        try:
            check_page(kind, page_path(kind, module.course, module, getattr(row, "filename", "")),
                       row.source, row.slug, row.position)
        except ContentError as exc:
            problems += exc.problems
    quiz = db.session.scalar(select(Quiz).where(Quiz.module_id == module.id, Quiz.retired_at.is_(None)))
    if quiz is not None:
        try:
            check_quiz(quiz, module.course, module, quiz.filename.rsplit("/", 1)[-1], quiz.source)
        except ContentError as exc:
            problems += exc.problems
    if len(checked) == 1:
        problems.append(Problem(page_path("module", module.course, module), 1, "a module needs at least one lesson"))
    return problems


def set_published(row, published: bool, author_id: int) -> None:
    """Publish or unpublish a page; a module is published with its lessons, and only if all of them validate."""
    if published and isinstance(row, Module):
        problems = publishing_problems(row)
        if problems:
            raise ContentError(problems)
        for lesson in db.session.scalars(select(Lesson).where(Lesson.module_id == row.id, Lesson.draft.is_(True))):
            save_page(lesson, with_draft(lesson.source, False), author_id, None, "published")
    save_page(row, with_draft(row.source, not published), author_id, None, "published" if published else "unpublished")
