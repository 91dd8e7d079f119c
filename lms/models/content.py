"""Imported course content: courses, modules, lessons and the assets beside them.

Each row keeps its rendered HTML (rendered and sanitised once, at import) and the
source text it came from, so pages never render markdown and content can be exported.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow


class Course(db.Model):
    """A course: a folder under ``courses/``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    dirname: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    modules: Mapped[list[Module]] = relationship(back_populates="course", order_by="Module.position")


class Module(db.Model):
    """A module of a course: a folder inside the course folder."""

    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    intro_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    dirname: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    course: Mapped[Course] = relationship(back_populates="modules")


class Lesson(db.Model):
    """A lesson: one markdown file inside a module folder."""

    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(default=5)
    body_html: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

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

    module: Mapped[Module] = relationship()
