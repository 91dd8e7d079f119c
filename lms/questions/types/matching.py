"""Matching: each left-hand item is matched with one of the right-hand texts, offered in shuffled order."""
from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..gift_write import ANSWER, escape_gift
from ..model import MATCHING, QuestionSpec
from ..serialize import question_from_dict
from .base import NOT_OFFERED, Graded, Html, PostedForm, QuestionType, ReviewPair, index_of, offered, shown_to_file

ARROW = Markup(" → ")


class Matching(QuestionType):
    """Pairs; the share of the points is the share of left-hand items matched rightly.

    The answer is a dict {left pair index: chosen right value}, where the right values are those of
    ``QuestionSpec.right_options()`` (pairs sharing a right-hand text are offered once).
    """

    name, label = MATCHING, "matching"
    sheet_template = "quizzes/types/matching.html"

    def problems(self, question: QuestionSpec) -> list[str]:
        problems = []
        if len(question.pairs) < 2:
            problems.append(f"a matching question needs at least two pairs, found {len(question.pairs)}")
        if any(not pair.left.strip() or not pair.right.strip() for pair in question.pairs):
            problems.append("a matching pair needs text on both sides of '->'")
        if any(not text.strip() for text in question.distractors):
            problems.append("an extra right-hand answer ('= -> text') needs text after '->'")
        return problems

    def grade(self, question: QuestionSpec, answer: Any) -> Graded:
        if not isinstance(answer, dict) or not question.pairs:
            return 0.0, ()
        size = len(question.pairs)
        chosen = {index_of(left, size): index_of(right, size) for left, right in answer.items()}
        right = sum(
            1 for index, pair in enumerate(question.pairs)
            if chosen.get(index) is not None and question.pairs[chosen[index]].right == pair.right
        )
        return right / size, ()

    def read(self, shown: dict, field: str, form: PostedForm) -> Any:
        rights = question_from_dict(shown["spec"]).right_options()
        chosen = {}
        for left in range(len(shown["spec"]["pairs"])):
            index = shown_to_file(shown["rights"], form.get(f"{field}-{left}"))
            if index is not None:
                chosen[str(left)] = rights[int(index)][0]
        return chosen

    def check(self, shown: dict, field: str, form: PostedForm) -> str | None:
        lefts = range(len(shown["spec"]["pairs"]))
        return None if all(offered(shown["rights"], form.get(f"{field}-{left}")) for left in lefts) else NOT_OFFERED

    def sheet(self, shown: dict, html: dict) -> dict:
        spec = shown["spec"]
        rights = question_from_dict(spec).right_options()
        return {"lefts": [html.get(pair["left"], "") for pair in spec["pairs"]],
                "rights": [rights[i][1] for i in shown["rights"]]}

    def given(self, question: QuestionSpec, response: Any, html: Html) -> list[Markup]:
        rights = dict(question.right_options())
        return [html(question.pairs[int(left)].left) + ARROW + escape(rights.get(right, ""))
                for left, right in sorted(response.items(), key=lambda item: int(item[0]))]

    def expected(self, question: QuestionSpec, html: Html) -> list[Markup]:
        return [html(pair.left) + ARROW + escape(pair.right) for pair in question.pairs]

    def preview(self, question: QuestionSpec, html: Html) -> list[Markup]:
        extra = [escape(f"also offered, matching nothing: {text}") for text in question.distractors]
        return self.expected(question, html) + extra

    def review_pairs(self, question: QuestionSpec, response: Any, html: Html) -> list[ReviewPair]:
        rights = dict(question.right_options())
        chosen = response if isinstance(response, dict) else {}
        pairs = []
        for index, pair in enumerate(question.pairs):
            given = rights.get(chosen.get(str(index)))
            pairs.append(ReviewPair(html(pair.left), None if given is None else escape(given),
                                    escape(pair.right), given == pair.right))
        return pairs

    def gift_answers(self, question: QuestionSpec) -> str:
        pairs = [(escape_gift(pair.left), escape_gift(pair.right)) for pair in question.pairs]
        pairs += [("", escape_gift(text)) for text in question.distractors]
        return "".join(f"{ANSWER}={left} -> {right}" for left, right in pairs)

    def describe(self, question: QuestionSpec, response: Any) -> str:
        if not isinstance(response, dict):
            return str(response)
        pairs, rights = question.pairs, dict(question.right_options())
        return "; ".join(f"{_left(pairs, left)} → {rights.get(str(right), str(right))}"
                         for left, right in response.items())


def _left(pairs: tuple, index: Any) -> str:
    position = index_of(index, len(pairs))
    return pairs[position].left if position is not None else str(index)
