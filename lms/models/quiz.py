"""Quizzes and attempts.

A quiz row holds its questions as JSON (the parsed question plus its rendered HTML), and
each attempt keeps a snapshot of the questions it was given, so re-importing an edited
quiz never changes an attempt already started or graded.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow
from .content import Module


class Quiz(db.Model):
    """The quiz that ends a module: a file under ``quizzes/<course>/<module>.md`` or ``.gift``."""

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    pass_mark: Mapped[int] = mapped_column(default=80)
    max_attempts: Mapped[int | None]
    shuffle_questions: Mapped[bool] = mapped_column(default=False)
    shuffle_options: Mapped[bool] = mapped_column(default=False)
    reveal: Mapped[str] = mapped_column(String(30), default="after_each_attempt")
    questions: Mapped[list] = mapped_column(JSON, default=list)
    draw: Mapped[list] = mapped_column(JSON, default=list)  # pool rules (lms/questions/pools.py); [] asks all
    source: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(300))
    imported_hash: Mapped[str | None] = mapped_column(String(64))  # as on Course: the source last imported
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    module: Mapped[Module] = relationship()


class QuizAttempt(db.Model):
    """One try at a quiz by one learner: started, then submitted and graded exactly once."""

    __table_args__ = (
        UniqueConstraint("user_id", "quiz_id", "number"),
        Index("ix_quiz_attempt_quiz_passed", "quiz_id", "passed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quiz.id"), index=True)
    number: Mapped[int]  # 1 for the learner's first attempt at this quiz, and so on
    questions: Mapped[list] = mapped_column(JSON)  # the snapshot shown, in the order shown
    pass_mark: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    points: Mapped[float | None] = mapped_column(Float)
    max_points: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None]

    quiz: Mapped[Quiz] = relationship()
    answers: Mapped[list[AttemptAnswer]] = relationship(
        cascade="all, delete-orphan", order_by="AttemptAnswer.position", lazy="selectin")


class AttemptAnswer(db.Model):
    """A learner's answer to one question of a submitted attempt, with its grade."""

    __table_args__ = (UniqueConstraint("attempt_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True)
    question_key: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]
    response: Mapped[dict | list | str | None] = mapped_column(JSON)
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool]
    feedback: Mapped[list] = mapped_column(JSON, default=list)


class ModuleCompletion(db.Model):
    """When a learner first completed a module (all lessons done and its quiz passed)."""

    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("module.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CourseCompletion(db.Model):
    """When a learner first completed a course (every module complete)."""

    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
