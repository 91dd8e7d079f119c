"""Typed answers: a short text, or a number within a tolerance or range."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..gift_write import ANSWER, escape_gift, feedback, number_text, weighted
from ..model import EPSILON, FULL, NUMERICAL, SHORT_ANSWER, SLACK, QuestionSpec
from ..numbers import read_learner_number
from .base import Graded, Html, QuestionType, worth


def weighted_problems(answers: tuple, what: str) -> list[str]:
    """Typed answers need one worth 100% and none below 0%."""
    problems = []
    if not answers:
        problems.append(f"a {what} question needs at least one answer")
    elif max(a.weight for a in answers) < FULL - SLACK:
        problems.append("no correct answer: at least one answer must be worth 100%")
    if any(a.weight < 0 for a in answers):
        problems.append(f"{what} answers cannot have negative percentages")
    return problems


def best_of(matches: list) -> Graded:
    """The best-weighted matching answer's share and feedback (the first of equal weights)."""
    if not matches:
        return 0.0, ()
    best = max(matches, key=lambda a: a.weight)
    return best.weight / FULL, (best.feedback,)


def normalise_text(raw: Any) -> str | None:
    """Typed text compared case-insensitively with runs of white space made single."""
    if not isinstance(raw, str):
        return None
    return " ".join(raw.split()).casefold()


class ShortAnswer(QuestionType):
    """A word or phrase, compared without regard to case or spacing."""

    name, label = SHORT_ANSWER, "short answer"
    sheet_template = "quizzes/types/short_answer.html"

    def problems(self, question: QuestionSpec) -> list[str]:
        problems = weighted_problems(question.texts, "short-answer")
        if any(not a.text.strip() for a in question.texts):
            problems.append("a short answer is empty")
        return problems

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        typed = normalise_text(answer)
        if not typed:
            return 0.0, ()
        return best_of([a for a in question.texts if normalise_text(a.text) == typed])

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [escape(a.text) + worth(a.weight) for a in question.texts if a.weight > 0]

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [Markup("Accepted answer: <code>{}</code> ({}%)").format(a.text, f"{a.weight:g}")
                for a in question.texts]

    def gift_answers(self, question: QuestionSpec) -> str:
        return "".join(f"{ANSWER}{weighted(a.weight, a.text)}{escape_gift(a.text)}{feedback(a.feedback)}"
                       for a in question.texts)


class Numerical(QuestionType):
    """A number, right within a tolerance or a range; several ranges may earn different shares."""

    name, label = NUMERICAL, "numerical"
    sheet_template = "quizzes/types/numerical.html"

    def problems(self, question: QuestionSpec) -> list[str]:
        return weighted_problems(question.numbers, "numerical")

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        value = read_learner_number(answer)
        if value is None:
            return 0.0, ()
        return best_of([a for a in question.numbers if _within(value, a.low, a.high)])

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [escape(a.describe()) + worth(a.weight) for a in question.numbers if a.weight > 0]

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [Markup("Accepted number: <code>{}</code> ({}%)").format(a.describe(), f"{a.weight:g}")
                for a in question.numbers]

    def gift_answers(self, question: QuestionSpec) -> str:
        return "#" + "".join(f"{ANSWER}{'~' if a.any_other else weighted(a.weight) + number_text(a)}"
                             f"{feedback(a.feedback)}" for a in question.numbers)


def _within(value: float, low: float, high: float) -> bool:
    slack = EPSILON * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack
