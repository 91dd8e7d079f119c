"""What a review page shows for each question of a submitted attempt."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..models import QuizAttempt
from ..questions.serialize import question_from_dict


@dataclass
class ReviewItem:
    """One question as reviewed: prompt, the learner's answer, the right answer and feedback (all HTML)."""

    prompt: Markup
    points: float
    max_points: float
    correct: bool
    given: list[Markup]
    expected: list[Markup]
    feedback: list[Markup]


def review_items(attempt: QuizAttempt) -> list[ReviewItem]:
    """The attempt's questions in the order shown, with its graded answers."""
    answers = {answer.question_key: answer for answer in attempt.answers}
    items = []
    for stored in attempt.questions:
        question = question_from_dict(stored["spec"])
        answer = answers[question.key]
        html = _html_lookup(stored["html"])
        items.append(ReviewItem(
            prompt=html(question.prompt), points=answer.points, max_points=answer.max_points, correct=answer.correct,
            given=_given(question, answer.response, html), expected=_expected(question, html),
            feedback=[html(text) for text in answer.feedback],
        ))
    return items


def _html_lookup(rendered: dict):
    """Stored HTML for a markdown text; falls back to the escaped text, never to raw markup."""
    def html(text: str) -> Markup:
        return Markup(rendered[text]) if text in rendered else escape(text)
    return html


def _given(question, response, html) -> list[Markup]:
    kind = question.type
    if response in (None, "", [], {}):
        return []
    if kind in ("single", "multiple"):
        picked = response if isinstance(response, list) else [response]
        return [html(question.choices[int(i)].text) for i in picked]
    if kind == "true_false":
        return [escape(response.capitalize())]
    if kind == "matching":
        rights = dict(question.right_options())
        return [html(question.pairs[int(left)].left) + Markup(" → ") + escape(rights.get(right, ""))
                for left, right in sorted(response.items(), key=lambda item: int(item[0]))]
    return [escape(response)]


def _expected(question, html) -> list[Markup]:
    kind = question.type
    if kind in ("single", "multiple"):
        return [html(c.text) + (escape(f" ({c.weight:g}%)") if kind == "multiple" else Markup(""))
                for c in question.choices if c.weight > 0]
    if kind == "true_false":
        return [escape("True" if question.truth else "False")]
    if kind == "short_answer":
        return [escape(a.text) + (escape(f" ({a.weight:g}%)") if a.weight < 100 else Markup(""))
                for a in question.texts if a.weight > 0]
    if kind == "numerical":
        return [escape(a.describe()) + (escape(f" ({a.weight:g}%)") if a.weight < 100 else Markup(""))
                for a in question.numbers if a.weight > 0]
    return [html(pair.left) + Markup(" → ") + escape(pair.right) for pair in question.pairs]
