"""Quizzes as GIFT text, for trainers taking them to Moodle: from the database or from a quiz file."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ..extensions import db
from ..models import Course, Module, Quiz
from ..questions import QuizSpec, parse_quiz
from ..questions.gift_export import export_gift
from ..questions.serialize import question_from_dict


class QuizNotFound(LookupError):
    """No quiz, or more than one, answers to the name given; the message says which."""


def stored_quiz(quiz: Quiz) -> QuizSpec:
    """The quiz as imported or last saved in the studio, with its settings."""
    return QuizSpec(title=quiz.title, pass_mark=quiz.pass_mark, max_attempts=quiz.max_attempts,
                    shuffle_questions=quiz.shuffle_questions, shuffle_options=quiz.shuffle_options,
                    reveal=quiz.reveal, questions=tuple(question_from_dict(q["spec"]) for q in quiz.questions))


def quiz_as_gift(quiz: Quiz) -> str:
    """The stored quiz written as GIFT."""
    return export_gift(stored_quiz(quiz))


def find_quiz(name: str) -> Quiz:
    """The live quiz of module ``name`` (a module slug, or ``course/module`` when slugs repeat)."""
    course_slug, _, module_slug = name.rpartition("/")
    query = select(Quiz).join(Quiz.module).join(Module.course).where(Module.slug == module_slug,
                                                                      Quiz.retired_at.is_(None))
    if course_slug:
        query = query.where(Course.slug == course_slug)
    found = list(db.session.scalars(query.limit(2)))
    if not found:
        raise QuizNotFound(f"no quiz for module '{name}' (give a module slug, course/module, or a quiz file)")
    if len(found) > 1:
        raise QuizNotFound(f"several courses have a module '{name}': write it as course/{name}")
    return found[0]


def gift_for(name: str) -> str:
    """GIFT for a quiz file (``.md`` or ``.gift``) when ``name`` is one, else for the module's stored quiz."""
    path = Path(name)
    if path.is_file():
        return export_gift(parse_quiz(str(path), path.read_text(encoding="utf-8")))
    return quiz_as_gift(find_quiz(name))
