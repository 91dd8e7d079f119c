"""Quiz forms: CSRF-protected posts, and reading a submitted answer sheet."""
from __future__ import annotations

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import SubmitField

from ..questions.serialize import question_from_dict

MAX_TYPED = 500  # longest typed answer kept; anything longer is cut


class StartAttemptForm(FlaskForm):
    submit = SubmitField("Start the quiz")


class AttemptForm(FlaskForm):
    """The answer sheet; the questions' fields are read by ``read_responses``."""

    submit = SubmitField("Submit answers")


def _shown_to_file(order: list[int], raw: str | None) -> str | None:
    """Options are posted by their place on the page; grading wants their place in the file."""
    if raw is None or not raw.isdigit() or int(raw) >= len(order):
        return None
    return str(order[int(raw)])


def _choice(question: dict, field: str, form: MultiDict):
    return _shown_to_file(question["options"], form.get(field))


def _choices(question: dict, field: str, form: MultiDict):
    picked = (_shown_to_file(question["options"], raw) for raw in form.getlist(field))
    return sorted({value for value in picked if value is not None})


def _typed(_question: dict, field: str, form: MultiDict):
    return (form.get(field) or "")[:MAX_TYPED]


def _true_false(_question: dict, field: str, form: MultiDict):
    value = form.get(field)
    return value if value in ("true", "false") else None


def _matching(question: dict, field: str, form: MultiDict):
    rights = question_from_dict(question["spec"]).right_options()
    chosen = {}
    for left in range(len(question["spec"]["pairs"])):
        index = _shown_to_file(question["rights"], form.get(f"{field}-{left}"))
        if index is not None:
            chosen[str(left)] = rights[int(index)][0]
    return chosen


READERS = {
    "single": _choice, "multiple": _choices, "true_false": _true_false,
    "short_answer": _typed, "numerical": _typed, "matching": _matching,
}


def read_responses(questions: list[dict], form: MultiDict) -> dict:
    """Each question's answer, keyed by question key, from fields named ``q<position>``."""
    return {
        question["spec"]["key"]: READERS[question["spec"]["type"]](question, f"q{position}", form)
        for position, question in enumerate(questions)
    }
