"""Grade answers and whole attempts; pure functions that never raise on bad input.

Each question type grades its own answers (``lms/questions/types``); the shape of an answer is the
one its type's ``read`` produces from the answer sheet. Indexes always refer to the order in the quiz
file, whatever order the page showed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from .model import EPSILON, FULL, SLACK, QuestionSpec, QuizSpec
from .types import question_type


@dataclass(frozen=True)
class Result:
    """The grade of one answer: share of the points, points, and feedback to show on review."""

    fraction: float
    points: float
    correct: bool
    feedback: tuple[str, ...] = ()
    out_of: float = 0.0  # the question's points when marked automatically, else 0 (an essay)


class AttemptScore(NamedTuple):
    """The grade of a whole attempt; ``results`` maps question keys to results in quiz order."""

    points: float
    max_points: float
    percent: float
    passed: bool
    results: dict[str, Result]


def grade(question: QuestionSpec, answer: Any) -> Result:
    """Grade one answer; garbage or missing answers score 0, never raise."""
    kind = question_type(question.type)
    fraction, feedback = kind.grade(question, answer)
    fraction = min(1.0, max(0.0, fraction))
    if fraction >= 1 - SLACK / FULL:
        fraction = 1.0  # weights like 3 x 33.33333% are meant to be full marks
    general = (question.general_feedback,) if question.general_feedback else ()
    shown = tuple(text for text in feedback if text) + general
    out_of = question.points if kind.auto_graded else 0.0
    return Result(fraction, fraction * out_of, fraction == 1.0, shown, out_of)


def score_attempt(quiz: QuizSpec, answers: Any) -> AttemptScore:
    """Grade every question of ``quiz``; ``answers`` maps question keys to answers.

    Only automatically marked questions count: an essay adds nothing to the points or to the maximum.
    """
    given = answers if isinstance(answers, dict) else {}
    results = {question.key: grade(question, given.get(question.key)) for question in quiz.questions}
    points = sum(result.points for result in results.values())
    max_points = sum(result.out_of for result in results.values())
    percent = 100.0 * points / max_points if max_points > 0 else 0.0
    return AttemptScore(points, max_points, percent, percent + EPSILON >= quiz.pass_mark, results)
