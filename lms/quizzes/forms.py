"""Quiz forms: CSRF-protected posts, and reading a submitted answer sheet through the question types."""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_wtf import FlaskForm
from flask_wtf.csrf import validate_csrf
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SubmitField, ValidationError

from ..questions.types import is_empty, question_type
from ..questions.types.base import MAX_TYPED

# The names the sheet's partials give their inputs: q<position>, or q<position>-<part> (matching).
SHEET_FIELD = re.compile(r"q\d{1,4}(?:-\d{1,4})?")
MAX_SHEET_FIELDS = 2000  # far above any real sheet; a post with more keeps only the first
MAX_POSTED = 20 * MAX_TYPED  # twice the longest answer any type takes (an essay's 5,000 characters)


class StartAttemptForm(FlaskForm):
    submit = SubmitField("Start the quiz")


class AttemptForm(FlaskForm):
    """The answer sheet and its summary page, as rendered; the questions' fields are read by ``read_responses``.

    ``confirm`` is "yes" once the learner chose to submit with questions unanswered; ``back`` asks
    for the sheet again with the posted answers filled in. A post is read by ``SheetPost``.
    """

    submit = SubmitField("Submit answers")
    confirm = HiddenField()
    back = HiddenField()


@dataclass(frozen=True)
class SheetPost:
    """What a posted sheet or summary page says besides its answers: AttemptForm's fields, read as they are.

    Building the form object cost a sixth of grading a submission, and a graded sheet renders no form.
    """

    token_valid: bool  # the session's CSRF token, checked by Flask-WTF as the form would
    confirmed: bool
    going_back: bool

    @classmethod
    def read(cls, form: MultiDict) -> SheetPost:
        try:
            validate_csrf(form.get("csrf_token"))
            valid = True
        except ValidationError:
            valid = False
        return cls(valid, form.get("confirm") == "yes", bool(form.get("back")))


def sheet_fields(form: MultiDict) -> MultiDict:
    """Only the posted answer fields, each cut to MAX_POSTED (the rest is noise or abuse).

    Not cut to what a type accepts: a type's ``check`` asks back an answer that is too long, with what
    was typed kept, rather than cutting it silently.
    """
    kept = [(name, value[:MAX_POSTED]) for name, value in form.items(multi=True)
            if SHEET_FIELD.fullmatch(name) and isinstance(value, str)]
    return MultiDict(kept[:MAX_SHEET_FIELDS])


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


def unanswered(questions: list[dict], responses: dict) -> list[int]:
    """The positions on the sheet of the questions left without an answer (descriptions ask for none)."""
    return [position for position, question in enumerate(questions)
            if _answerable(question) and is_empty(responses.get(question["spec"]["key"]))]


def answerable_count(questions: list[dict]) -> int:
    """How many questions of the sheet ask for an answer."""
    return sum(1 for question in questions if _answerable(question))


def answered_count(questions: list[dict], form: MultiDict) -> int:
    """How many questions the posted fields answer (none without reading, on a fresh sheet)."""
    if not form:
        return 0
    return answerable_count(questions) - len(unanswered(questions, read_responses(questions, form)))


def _answerable(question: dict) -> bool:
    return question_type(question["spec"]["type"]).answerable
