"""True or false: a statement the learner judges."""
from __future__ import annotations

from random import Random
from typing import Any

from markupsafe import Markup, escape

from ..gift_write import ANSWER, escape_gift
from ..model import TRUE_FALSE, QuestionSpec
from .base import NOT_OFFERED, Graded, Html, PostedForm, QuestionType


class TrueFalse(QuestionType):
    """A statement that is true or false; each answer has its own feedback."""

    name, label = TRUE_FALSE, "true or false"
    sheet_template = "quizzes/types/true_false.html"

    def problems(self, question: QuestionSpec) -> list[str]:
        return [] if question.truth is not None else ["no correct answer: say whether the statement is true or false"]

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        said = answer.strip().lower() if isinstance(answer, str) else None
        if said not in ("true", "false"):
            return 0.0, ()
        feedback = question.feedback_true if said == "true" else question.feedback_false
        return (1.0 if (said == "true") == question.truth else 0.0), (feedback,)

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        value = form.get(field)
        return value if value in ("true", "false") else None

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        return None if form.get(field) in (None, "", "true", "false") else NOT_OFFERED

    def example_answer(self, question: QuestionSpec, right: bool, rng: Random) -> Any:
        return "true" if right == bool(question.truth) else "false"

    def given(self, question: QuestionSpec, response: Any, html: Html) -> list[Markup]:
        return [escape(str(response).capitalize())]

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [escape("True" if question.truth else "False")]

    def gift_answers(self, question: QuestionSpec) -> str:
        right, wrong = ((question.feedback_true, question.feedback_false) if question.truth
                        else (question.feedback_false, question.feedback_true))
        parts = ["TRUE" if question.truth else "FALSE", escape_gift(wrong), escape_gift(right)]
        while not parts[-1]:  # GIFT gives the wrong answer's feedback first, then the right one's
            parts.pop()
        return ANSWER + "#".join(parts)

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [Markup("Right answer: <strong>{}</strong>").format("True" if question.truth else "False")]
