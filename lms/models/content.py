"""Course content: courses, modules, lessons, the assets beside them, and the revisions of their text.

Each page keeps its rendered HTML (rendered and sanitised once, when its text changes) and
the source text it came from, so pages never render markdown and content can be exported.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class PageColumns:
    """What courses, modules and lessons share: identity, order, text, visibility and origin."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    draft: Mapped[bool] = mapped_column(default=False)  # drafts are shown to trainers only
    # Hash of the source as last imported from a file (None: made in the browser). When it differs
    # from the current source, the page was edited in the browser since the last import.
    imported_hash: Mapped[str | None] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @classmethod
    def visible(cls):
        """SQL condition: shown to learners (published and not retired)."""
        return and_(cls.retired_at.is_(None), cls.draft.is_(False))


class Course(PageColumns, db.Model):
    """A course: a folder under ``courses/``."""

    __table_args__ = (UniqueConstraint("slug"),)

    summary: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    dirname: Mapped[str] = mapped_column(String(200))

    modules: Mapped[list[Module]] = relationship(back_populates="course", order_by="Module.position")


class Module(PageColumns, db.Model):
    """A module of a course: a folder inside the course folder."""

    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    dirname: Mapped[str] = mapped_column(String(200))

    course: Mapped[Course] = relationship(back_populates="modules")


class Lesson(PageColumns, db.Model):
    """A lesson: one markdown file inside a module folder."""

    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    minutes: Mapped[int] = mapped_column(default=5)
    body_html: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(200))

    module: Mapped[Module] = relationship()


class Asset(db.Model):
    """An image or other file beside a module's lessons, served with them."""

    __table_args__ = (UniqueConstraint("module_id", "filename"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded: Mapped[bool] = mapped_column(default=False)  # added in the browser, not from a file

    module: Mapped[Module] = relationship()


class Revision(db.Model):
    """One saved version of a page's or quiz's text: who saved it, when, and the whole text."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "course", "module", "lesson" or "quiz"
    object_id: Mapped[int] = mapped_column(index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    note: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text)


class ContentVersion(db.Model):
    """A single row counting changes to what learners see, so app workers know when their cached copy is stale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(default=0)
