"""Typed answers: a short text, or a number within a tolerance or range."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..gift_write import ANSWER, escape_gift, feedback, number_text, weighted
from ..learner_numbers import DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS, number_problem, read_number, read_ratio
from ..model import EPSILON, FULL, NUMERICAL, SHORT_ANSWER, SLACK, QuestionSpec
from ..text_match import MATCH_MODES, matches, normalise_answer
from .base import MAX_TYPED, Graded, Html, PostedForm, QuestionType, worth


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


class ShortAnswer(QuestionType):
    """A word or phrase, compared after normalising case, spacing, punctuation, Unicode forms and articles."""

    name, label = SHORT_ANSWER, "short answer"
    sheet_template = "quizzes/types/short_answer.html"
    options = ("match",)

    def problems(self, question: QuestionSpec) -> list[str]:
        problems = weighted_problems(question.texts, "short-answer")
        if any(not a.text.strip() for a in question.texts):
            problems.append("a short answer is empty")
        if question.match not in MATCH_MODES:
            problems.append(f"unknown match '{question.match}' (known: {', '.join(MATCH_MODES)})")
        return problems

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        if not isinstance(answer, str) or not normalise_answer(answer, question.match):
            return 0.0, ()
        return best_of([a for a in question.texts if matches(answer, a.text, question.match)])

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        raw = form.get(field)
        if isinstance(raw, str) and len(raw) > MAX_TYPED:
            return f"This answer is {len(raw):,} characters long; please keep it to {MAX_TYPED} at most."
        return None

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
    options = ("ratio",)

    def problems(self, question: QuestionSpec) -> list[str]:
        problems = weighted_problems(question.numbers, "numerical")
        if question.number_format not in NUMBER_FORMATS:
            problems.append(f"unknown number format '{question.number_format}'")
        return problems

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        reader = read_ratio if question.ratio else read_number
        value = reader(answer, question.number_format)
        if value is None:
            return 0.0, ()
        return best_of([a for a in question.numbers if _within(value, a.low, a.high)])

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        spec = shown["spec"]
        written = spec.get("number_format", DEFAULT_NUMBER_FORMAT)
        return number_problem(form.get(field), written, spec.get("ratio", False))

    def sheet(self, shown: dict, html: dict) -> dict:
        written = shown["spec"].get("number_format", DEFAULT_NUMBER_FORMAT)
        if shown["spec"].get("ratio"):
            mark = NUMBER_FORMATS[written].decimal
            return {"kind": "a ratio", "hint": f"Write it like 4{mark}5:1 or 9 to 2, and numbers like {written}."}
        return {"kind": "a number", "hint": f"Write numbers like {written}."}

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [escape(_describe(question, a)) + worth(a.weight) for a in question.numbers if a.weight > 0]

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [Markup("Accepted number: <code>{}</code> ({}%)").format(_describe(question, a), f"{a.weight:g}")
                for a in question.numbers]

    def gift_answers(self, question: QuestionSpec) -> str:
        return "#" + "".join(f"{ANSWER}{'~' if a.any_other else weighted(a.weight) + number_text(a)}"
                             f"{feedback(a.feedback)}" for a in question.numbers)


def _describe(question: QuestionSpec, answer) -> str:
    """An accepted number as the author wrote it; a ratio's as ``a:1``."""
    if not question.ratio:
        return answer.describe()
    if answer.value is not None and answer.high == answer.value:
        return f"{answer.value:g}:1"
    return f"{answer.describe()}, as a ratio to 1"


def _within(value: float, low: float, high: float) -> bool:
    slack = EPSILON * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack
