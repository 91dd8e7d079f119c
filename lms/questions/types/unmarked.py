"""Questions the platform does not mark: an essay (free text for a trainer to read) and a description."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..model import DESCRIPTION, ESSAY, QuestionSpec
from .base import Graded, Html, PostedForm, QuestionType

MAX_ESSAY = 5000  # longest essay kept; the text area says so and anything longer is cut


class Essay(QuestionType):
    """A free text answer; it earns nothing automatically and counts for nothing in the score."""

    name, label = ESSAY, "essay"
    sheet_template = "quizzes/types/essay.html"
    needs_answers = auto_graded = False

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        return 0.0, ()

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        text = form.get(field) or ""
        return text.replace("\r\n", "\n")[:MAX_ESSAY] if isinstance(text, str) else ""

    def sheet(self, shown: dict, html: dict) -> dict:
        return {"max_length": MAX_ESSAY}

    def given(self, question: QuestionSpec, response: Any, html: Html) -> list[Markup]:
        return [Markup("<br>").join(escape(line) for line in str(response).split("\n"))]

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return []

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [Markup("Free text answer, read by a trainer; not part of the automatic score.")]

    def gift_answers(self, question: QuestionSpec) -> str:
        return ""  # empty braces: Moodle's essay


class Description(QuestionType):
    """Text shown between questions, such as a case study; nothing to answer."""

    name, label = DESCRIPTION, "description"
    sheet_template = "quizzes/types/description.html"
    needs_answers = answerable = auto_graded = False

    def problems(self, question: QuestionSpec) -> list[str]:
        return ["a description cannot be worth points"] if question.points else []

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        return 0.0, ()

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        return None

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return []

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [Markup("Text only: nothing to answer.")]

    def gift_answers(self, question: QuestionSpec) -> None:
        return None  # no braces: Moodle's description
