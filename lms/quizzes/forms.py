"""Quiz forms: CSRF-protected posts, and reading a submitted answer sheet through the question types."""
from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SubmitField

from ..questions.types import question_type


class StartAttemptForm(FlaskForm):
    submit = SubmitField("Start the quiz")


class AttemptForm(FlaskForm):
    """The answer sheet; the questions' fields are read by ``read_responses``."""

    submit = SubmitField("Submit answers")


def read_responses(questions: list[dict], form: MultiDict) -> dict:
    """Each question's answer, keyed by question key, from fields named ``q<position>``."""
    return {
        question["spec"]["key"]: question_type(question["spec"]["type"]).read(question, f"q{position}", form)
        for position, question in enumerate(questions)
    }


def asked_back(questions: list[dict], form: MultiDict) -> dict[str, str]:
    """Messages for answers to retype before grading (unreadable, or read differently by convention), by field."""
    messages = {}
    for position, question in enumerate(questions):
        field = f"q{position}"
        message = question_type(question["spec"]["type"]).check(question, field, form)
        if message:
            messages[field] = message
    return messages
