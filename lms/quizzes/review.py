"""What a review page shows for each question of a submitted attempt."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..models import QuizAttempt
from ..questions.serialize import question_from_dict
from ..questions.types import is_empty, question_type
from ..questions.types.base import ReviewPair, stored_html


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
    pairs: list[ReviewPair]  # matching: each item beside the learner's match and the right one
    answerable: bool = True  # False for a description: text only
    marked: bool = True  # False for an essay: a trainer reads it, the score leaves it out

    @property
    def mark(self) -> str:
        """correct, partly or wrong: the review's symbol, colour and words for this answer."""
        if self.correct:
            return "correct"
        return "partly" if self.points > 0 else "wrong"


def review_items(attempt: QuizAttempt) -> list[ReviewItem]:
    """The attempt's questions in the order shown, with its graded answers."""
    answers = {answer.question_key: answer for answer in attempt.answers}
    items = []
    for stored in attempt.questions:
        question = question_from_dict(stored["spec"])
        answer = answers[question.key]
        html = stored_html(stored["html"])
        kind = question_type(question.type)
        given = [] if is_empty(answer.response) else kind.given(question, answer.response, html)
        items.append(ReviewItem(
            prompt=html(question.prompt), points=answer.points, max_points=answer.max_points, correct=answer.correct,
            given=given, expected=kind.expected(question, html),
            feedback=[html(text) for text in answer.feedback],
            pairs=kind.review_pairs(question, answer.response, html),
            answerable=kind.answerable, marked=kind.auto_graded,
        ))
    return items
