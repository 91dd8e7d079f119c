"""Saving pages and quizzes from the studio, with a revision for every save, and restoring old revisions.

Every save goes through the import's validator and renderer (pages.py), keeps a revision,
and refuses to overwrite a text that changed since the trainer opened it.
"""
from __future__ import annotations

from sqlalchemy import select

from ..content.sync import add_revisions, text_hash
from ..content.tree import Page
from ..documents.frontmatter import with_draft
from ..extensions import db
from ..models import Module, Quiz, Revision
from ..models.base import utcnow
from ..questions.pools import rules_to_json
from .lookups import kind_of
from .pages import check_page, check_quiz, page_path


class EditConflict(Exception):
    """The text changed since the trainer opened it; carries the current text to show beside theirs."""

    def __init__(self, current: str):
        super().__init__("this text was changed by someone else since you opened it")
        self.current = current


def check_row_page(row, text: str) -> tuple[Page, str]:
    """Validate ``text`` for ``row`` and render it, writing nothing; raises ContentError."""
    kind = kind_of(row)
    course = row if kind == "course" else (row.course if kind == "module" else row.module.course)
    module = row if kind == "module" else (row.module if kind == "lesson" else None)
    path = page_path(kind, course, module, getattr(row, "filename", ""))
    return check_page(kind, path, text, row.slug, row.position)


def apply_page(row, text: str, checked: tuple[Page, str] | None = None) -> None:
    """Store ``text`` for ``row`` with its rendered HTML (``checked`` by check_row_page, else checked here)."""
    kind = kind_of(row)
    page, html = checked or check_row_page(row, text)
    row.title, row.source, row.draft, row.updated_at = page.title, text, page.draft, utcnow()
    if kind == "lesson":
        row.minutes, row.body_html = page.minutes, html
    else:
        row.summary, row.intro_html = page.summary, html


def save_page(row, text: str, author_id: int, base_hash: str | None, note: str = "edited",
              checked: tuple[Page, str] | None = None) -> None:
    """Save a page's new text if nobody changed it since ``base_hash``; keeps a revision."""
    if base_hash is not None and base_hash != text_hash(row.source):
        raise EditConflict(row.source)
    apply_page(row, text, checked)
    db.session.flush()
    add_revisions([row], author_id, note)


def save_quiz(module: Module, quiz: Quiz | None, text: str, author_id: int, base_hash: str | None,
              filename: str | None = None, note: str | None = None, checked: tuple | None = None) -> Quiz:
    """Create or update a module's quiz from its text (markdown, or GIFT if the quiz is a .gift file).

    The revision is noted ``note``, else "created" or "edited". ``checked``: what check_quiz made of
    the text already, so that rendering happens before the write.
    """
    if quiz is not None and base_hash is not None and base_hash != text_hash(quiz.source):
        raise EditConflict(quiz.source)
    note = note or ("edited" if quiz is not None else "created")
    filename = quiz.filename.rsplit("/", 1)[-1] if quiz else (filename or f"{module.slug}.md")
    spec, stored = checked or check_quiz(quiz, module.course, module, filename, text)
    if quiz is None:
        quiz = Quiz(module_id=module.id, filename=f"{module.course.slug}/{filename}", imported_hash=None)
        db.session.add(quiz)
    quiz.title, quiz.pass_mark, quiz.max_attempts = spec.title, spec.pass_mark, spec.max_attempts
    quiz.shuffle_questions, quiz.shuffle_options = spec.shuffle_questions, spec.shuffle_options
    quiz.reveal, quiz.draw = spec.reveal, rules_to_json(spec.draw)
    quiz.questions, quiz.source, quiz.retired_at, quiz.updated_at = stored, text, None, utcnow()
    db.session.flush()
    add_revisions([quiz], author_id, note)
    return quiz


def history(row) -> list[Revision]:
    """The row's revisions, newest first."""
    return list(db.session.scalars(select(Revision).where(Revision.kind == kind_of(row), Revision.object_id == row.id)
                                   .order_by(Revision.id.desc())))


def check_restore(row, revision: Revision) -> tuple:
    """What restoring ``revision`` stores, checked and rendered, writing nothing; raises ContentError."""
    if revision.kind != kind_of(row) or revision.object_id != row.id:
        raise ValueError("that revision belongs to something else")
    if isinstance(row, Quiz):
        return check_quiz(row, row.module.course, row.module, row.filename.rsplit("/", 1)[-1], revision.source)
    return check_row_page(row, _restored_text(row, revision))


def restore(row, revision: Revision, author_id: int, checked: tuple | None = None) -> None:
    """Make an old revision current again (as a new revision); ``checked`` by check_restore, else checked here."""
    checked = checked or check_restore(row, revision)
    note = f"restored revision {revision.id}"
    if isinstance(row, Quiz):
        save_quiz(row.module, row, revision.source, author_id, None, note=note, checked=checked)
    else:
        save_page(row, _restored_text(row, revision), author_id, None, note, checked=checked)


def _restored_text(row, revision: Revision) -> str:
    # The text comes back, not the publishing state: an old draft revision must not hide a live page,
    # and an old published one must not publish a module past publishing_problems().
    return with_draft(revision.source, row.draft)
