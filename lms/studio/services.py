"""The trainer's workspace: create, edit, publish, reorder and retire content, with revisions.

Every save goes through the import's validator and renderer (pages.py), keeps a revision,
and refuses to overwrite a text that changed since the trainer opened it.
"""
from __future__ import annotations

import re

from sqlalchemy import func, select

from ..content.errors import ContentError, Problem
from ..content.sync import add_revisions, text_hash
from ..extensions import db
from ..models import Course, Lesson, Module, Quiz, Revision
from ..models.base import utcnow
from .pages import check_page, check_quiz, page_path

KINDS = {"course": Course, "module": Module, "lesson": Lesson, "quiz": Quiz}
DRAFT_LINE = re.compile(r"^draft\s*:.*$", re.MULTILINE)


class EditConflict(Exception):
    """The text changed since the trainer opened it; carries the current text to show beside theirs."""

    def __init__(self, current: str):
        super().__init__("this text was changed by someone else since you opened it")
        self.current = current


def kind_of(row) -> str:
    """'course', 'module', 'lesson' or 'quiz'."""
    return next(name for name, model in KINDS.items() if isinstance(row, model))


def compose(title: str, body: str, draft: bool, **extra) -> str:
    """The text of a page from form fields: front matter, then the markdown body."""
    lines = ["---", f"title: {_yaml_text(title)}"]
    lines += [f"{key}: {_yaml_text(value) if isinstance(value, str) else value}" for key, value in extra.items()]
    if draft:
        lines.append("draft: true")
    return "\n".join(lines + ["---", body.strip("\n")]) + "\n"


def _yaml_text(value: str) -> str:
    # Always quoted: titles with colons, "yes" or a leading number stay text.
    return '"' + value.strip().replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_draft(text: str, draft: bool) -> str:
    """The same text with its front matter's ``draft:`` line set (draft) or removed (published)."""
    head, sep, rest = text.partition("\n---")
    head = DRAFT_LINE.sub("", head).rstrip("\n")
    head = re.sub(r"\n{2,}", "\n", head)
    return head + ("\ndraft: true" if draft else "") + sep + rest


def _apply_page(row, text: str) -> None:
    """Validate ``text`` for ``row`` and store it with its rendered HTML; raises ContentError."""
    kind = kind_of(row)
    course = row if kind == "course" else (row.course if kind == "module" else row.module.course)
    module = row if kind == "module" else (row.module if kind == "lesson" else None)
    path = page_path(kind, course, module, getattr(row, "filename", ""))
    page, html = check_page(kind, path, text, row.slug, row.position)
    row.title, row.source, row.draft, row.updated_at = page.title, text, page.draft, utcnow()
    if kind == "lesson":
        row.minutes, row.body_html = page.minutes, html
    else:
        row.summary, row.intro_html = page.summary, html


def save_page(row, text: str, author_id: int, base_hash: str | None, note: str = "edited") -> None:
    """Save a page's new text if nobody changed it since ``base_hash``; keeps a revision."""
    if base_hash is not None and base_hash != text_hash(row.source):
        raise EditConflict(row.source)
    _apply_page(row, text)
    db.session.flush()
    add_revisions([row], author_id, note)


def save_quiz(module: Module, quiz: Quiz | None, text: str, author_id: int, base_hash: str | None,
              filename: str | None = None, note: str | None = None) -> Quiz:
    """Create or update a module's quiz from its text (markdown, or GIFT if the quiz is a .gift file).

    The revision is noted ``note``, else "created" or "edited".
    """
    if quiz is not None and base_hash is not None and base_hash != text_hash(quiz.source):
        raise EditConflict(quiz.source)
    note = note or ("edited" if quiz is not None else "created")
    filename = quiz.filename.rsplit("/", 1)[-1] if quiz else (filename or f"{module.slug}.md")
    spec, stored = check_quiz(quiz, module.course, module, filename, text)
    if quiz is None:
        quiz = Quiz(module_id=module.id, filename=f"{module.course.slug}/{filename}", imported_hash=None)
        db.session.add(quiz)
    quiz.title, quiz.pass_mark, quiz.max_attempts = spec.title, spec.pass_mark, spec.max_attempts
    quiz.shuffle_questions, quiz.shuffle_options, quiz.reveal = spec.shuffle_questions, spec.shuffle_options, spec.reveal
    quiz.questions, quiz.source, quiz.retired_at, quiz.updated_at = stored, text, None, utcnow()
    db.session.flush()
    add_revisions([quiz], author_id, note)
    return quiz


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
    _apply_page(course, text)
    db.session.flush()
    add_revisions([course], author_id, "created")
    return course


def create_module(course: Course, slug: str, text: str, author_id: int) -> Module:
    """A new draft module at the end of the course."""
    return _create(Module, "course", course, slug, text, author_id, "{position:02d}-{slug}")


def create_lesson(module: Module, slug: str, text: str, author_id: int) -> Lesson:
    """A new lesson at the end of the module."""
    return _create(Lesson, "module", module, slug, text, author_id, "{position:02d}-{slug}.md")


def _create(model, parent_name: str, parent, slug: str, text: str, author_id: int, name_pattern: str):
    _unique_slug(model, slug, **{f"{parent_name}_id": parent.id})
    position = _next_position(model, **{f"{parent_name}_id": parent.id})
    name_field = "filename" if model is Lesson else "dirname"
    row = model(slug=slug, position=position, title=slug, source="", **{parent_name: parent},
                **{name_field: name_pattern.format(position=position, slug=slug)})
    db.session.add(row)
    _apply_page(row, text)
    db.session.flush()
    add_revisions([row], author_id, "created")
    return row


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


def history(row) -> list[Revision]:
    """The row's revisions, newest first."""
    return list(db.session.scalars(select(Revision).where(Revision.kind == kind_of(row), Revision.object_id == row.id)
                                   .order_by(Revision.id.desc())))


def restore(row, revision: Revision, author_id: int) -> None:
    """Make an old revision current again (as a new revision)."""
    if revision.kind != kind_of(row) or revision.object_id != row.id:
        raise ValueError("that revision belongs to something else")
    if isinstance(row, Quiz):
        save_quiz(row.module, row, revision.source, author_id, None, note=f"restored revision {revision.id}")
    else:
        # The text comes back, not the publishing state: an old draft revision must not hide a live page,
        # and an old published one must not publish a module past publishing_problems().
        save_page(row, with_draft(revision.source, row.draft), author_id, None, f"restored revision {revision.id}")
