"""Single and multiple choice: options with percentage weights, posted by their place on the page."""
from __future__ import annotations

from random import Random
from typing import Any

from markupsafe import Markup, escape

from ..gift_write import ANSWER, escape_gift, feedback, percent
from ..model import FULL, MULTIPLE, SINGLE, SLACK, QuestionSpec
from .base import NOT_OFFERED, Graded, Html, PostedForm, QuestionType, index_of, offered, shown_to_file, worth


class ChoiceType(QuestionType):
    """What single and multiple choice share: options, their order on the page, and their weights."""

    sheet_template = "quizzes/types/choice.html"

    def problems(self, question: QuestionSpec) -> list[str]:
        weights = [choice.weight for choice in question.choices]
        problems = []
        if len(weights) < 2:
            problems.append("a choice question needs at least two options")
        if any(not choice.text.strip() for choice in question.choices):
            problems.append("an option has no text")
        if not any(w > 0 for w in weights):
            problems.append("no correct answer: mark at least one option as correct")
        else:
            problems += self.weight_problems(weights)
        return problems

    def weight_problems(self, weights: list[float]) -> list[str]:
        """What is wrong with the weights of a question that has at least one correct option."""
        return []

    def sheet(self, shown: dict, html: dict) -> dict:
        choices = shown["spec"]["choices"]
        return {"options": [html.get(choices[i]["text"], "") for i in shown["options"]], "input": self.input_type}

    def given(self, question: QuestionSpec, response: Any, html: Html) -> list[Markup]:
        picked = response if isinstance(response, list) else [response]
        return [html(question.choices[int(i)].text) for i in picked]

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [html(c.text) + self.shown_weight(c.weight) for c in question.choices if c.weight > 0]

    def shown_weight(self, weight: float) -> Markup:
        """What follows a right option on the review page: its percentage when it is only partly right."""
        return worth(weight)

    def describe(self, question: QuestionSpec, response: Any) -> str:
        picked = response if isinstance(response, list) else [response]
        choices = question.choices
        return " + ".join(choices[i].text if (i := index_of(item, len(choices))) is not None else str(item)
                          for item in picked)

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [_verdict(choice.weight) + Markup(": ") + html(choice.text) for choice in question.choices]

    def gift_answers(self, question: QuestionSpec) -> str:
        return "".join(f"{ANSWER}{self.gift_marker(c.weight, c.text)}{escape_gift(c.text)}{feedback(c.feedback)}"
                       for c in question.choices)

    def gift_marker(self, weight: float, text: str) -> str:
        """``~`` with the option's percentage; single choice writes full marks as ``=``.

        A 0% option goes without its percentage unless its text starts with '%' and would be read as one.
        """
        return f"~%{percent(weight)}%" if weight or text.startswith("%") else "~"


def _verdict(weight: float) -> Markup:
    if weight > 0:
        return Markup("<strong>✓ right ({}%)</strong>").format(f"{weight:g}")
    if weight < 0:
        return escape(f"✗ penalty ({weight:g}%)")
    return Markup("✗ wrong")


class SingleChoice(ChoiceType):
    """The learner picks one option (radio buttons) and earns its percentage, as in Moodle.

    At least one option is worth 100%; others may give partial credit or take points away.
    """

    name, label = SINGLE, "single choice"
    input_type = "radio"

    def weight_problems(self, weights: list[float]) -> list[str]:
        if max(weights) >= FULL - SLACK:
            return []
        return ["a single-choice question needs an option worth 100%"]

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        index = index_of(answer, len(question.choices))
        if index is None:
            return 0.0, ()
        choice = question.choices[index]
        return choice.weight / FULL, (choice.feedback,)

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        return shown_to_file(shown["options"], form.get(field))

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        return None if offered(shown["options"], form.get(field)) else NOT_OFFERED

    def gift_marker(self, weight: float, text: str) -> str:
        if weight == FULL:
            return "=%100%" if text.startswith("%") else "="
        return super().gift_marker(weight, text)

    def example_answer(self, question: QuestionSpec, right: bool, rng: Random) -> Any:
        good = [i for i, choice in enumerate(question.choices) if choice.weight >= FULL - SLACK]
        bad = [i for i, choice in enumerate(question.choices) if choice.weight < FULL - SLACK] or good
        return str(rng.choice(good if right else bad))


class MultipleChoice(ChoiceType):
    """Several options earn shares of the points, wrong ones may take points away (checkboxes)."""

    name, label = MULTIPLE, "multiple choice"
    input_type = "checkbox"

    def weight_problems(self, weights: list[float]) -> list[str]:
        total = sum(w for w in weights if w > 0)
        if total >= FULL - SLACK:
            return []
        return [f"the correct options add up to {total:g}%: the percentages cannot reach 100%"]

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        picked_raw = answer if isinstance(answer, (list, tuple, set, frozenset)) else [answer]
        picked = sorted({i for i in (index_of(raw, len(question.choices)) for raw in picked_raw) if i is not None})
        total = sum(question.choices[i].weight for i in picked)
        return total / FULL, tuple(question.choices[i].feedback for i in picked)

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        picked = (shown_to_file(shown["options"], raw) for raw in form.getlist(field))
        return sorted({value for value in picked if value is not None})

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        return None if all(offered(shown["options"], raw) for raw in form.getlist(field)) else NOT_OFFERED

    def shown_weight(self, weight: float) -> Markup:
        return escape(f" ({weight:g}%)")
