"""Grade answers as they arrive from an HTML form; pure functions that never raise on bad input.

Answer shapes (what ``grade`` expects for each question type):

- single: the chosen option's index as a string ("0", "1", …) or None
- multiple: a list of chosen option index strings
- true_false: "true", "false" or None
- short_answer: the typed text
- numerical: the typed text (see numbers.read_learner_number)
- matching: a dict {left pair index string: chosen right value string}, where the
  right values are those of QuestionSpec.right_options()

Indexes always refer to the order in the quiz file, whatever order the page showed.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from .build import FULL, SLACK
from .model import (
    MATCHING, MULTIPLE, NUMERICAL, SHORT_ANSWER, SINGLE, TRUE_FALSE, QuestionSpec, QuizSpec,
)
from .numbers import read_learner_number

# Floats such as 0.1 + 0.2 land a hair outside a range they are meant to be inside.
EPSILON = 1e-9


@dataclass(frozen=True)
class Result:
    """The grade of one answer: share of the points, points, and feedback to show on review."""

    fraction: float
    points: float
    correct: bool
    feedback: tuple[str, ...] = ()


class AttemptScore(NamedTuple):
    """The grade of a whole attempt; ``results`` maps question keys to results in quiz order."""

    points: float
    max_points: float
    percent: float
    passed: bool
    results: dict[str, Result]


Grader = Callable[[QuestionSpec, Any], tuple[float, tuple[str, ...]]]
GRADERS: dict[str, Grader] = {}


def register(question_type: str) -> Callable[[Grader], Grader]:
    """Decorator: use the function as the grader for ``question_type``.

    A grader returns (fraction before clamping, answer-specific feedback).
    """
    def add(grader: Grader) -> Grader:
        """Record ``grader`` and hand it back unchanged."""
        GRADERS[question_type] = grader
        return grader
    return add


def grade(question: QuestionSpec, answer: Any) -> Result:
    """Grade one answer; garbage or missing answers score 0, never raise."""
    grader = GRADERS.get(question.type)
    if grader is None:
        raise ValueError(f"no grader for question type '{question.type}'")
    fraction, feedback = grader(question, answer)
    fraction = min(1.0, max(0.0, fraction))
    if fraction >= 1 - SLACK / FULL:
        fraction = 1.0  # weights like 3 x 33.33333% are meant to be full marks
    general = (question.general_feedback,) if question.general_feedback else ()
    shown = tuple(text for text in feedback if text) + general
    return Result(fraction, fraction * question.points, fraction == 1.0, shown)


def score_attempt(quiz: QuizSpec, answers: Any) -> AttemptScore:
    """Grade every question of ``quiz``; ``answers`` maps question keys to answers."""
    given = answers if isinstance(answers, dict) else {}
    results = {question.key: grade(question, given.get(question.key)) for question in quiz.questions}
    points = sum(result.points for result in results.values())
    max_points = quiz.max_points
    percent = 100.0 * points / max_points if max_points > 0 else 0.0
    return AttemptScore(points, max_points, percent, percent + EPSILON >= quiz.pass_mark, results)


def index_of(raw: Any, size: int) -> int | None:
    """A submitted index ("2" or 2) within ``range(size)``, or None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        return None
    return value if 0 <= value < size else None


def normalise_text(raw: Any) -> str | None:
    """Typed text compared case-insensitively with runs of white space made single."""
    if not isinstance(raw, str):
        return None
    return " ".join(raw.split()).casefold()


@register(SINGLE)
def _single(question: QuestionSpec, answer: Any) -> tuple[float, tuple[str, ...]]:
    index = index_of(answer, len(question.choices))
    if index is None:
        return 0.0, ()
    choice = question.choices[index]
    return choice.weight / FULL, (choice.feedback,)


@register(MULTIPLE)
def _multiple(question: QuestionSpec, answer: Any) -> tuple[float, tuple[str, ...]]:
    picked_raw = answer if isinstance(answer, (list, tuple, set, frozenset)) else [answer]
    picked = sorted({i for i in (index_of(raw, len(question.choices)) for raw in picked_raw) if i is not None})
    total = sum(question.choices[i].weight for i in picked)
    return total / FULL, tuple(question.choices[i].feedback for i in picked)


@register(TRUE_FALSE)
def _true_false(question: QuestionSpec, answer: Any) -> tuple[float, tuple[str, ...]]:
    said = answer.strip().lower() if isinstance(answer, str) else None
    if said not in ("true", "false"):
        return 0.0, ()
    feedback = question.feedback_true if said == "true" else question.feedback_false
    return (1.0 if (said == "true") == question.truth else 0.0), (feedback,)


@register(SHORT_ANSWER)
def _short_answer(question: QuestionSpec, answer: Any) -> tuple[float, tuple[str, ...]]:
    typed = normalise_text(answer)
    if not typed:
        return 0.0, ()
    matches = [a for a in question.texts if normalise_text(a.text) == typed]
    if not matches:
        return 0.0, ()
    best = max(matches, key=lambda a: a.weight)  # max() keeps the first of equal weights
    return best.weight / FULL, (best.feedback,)


@register(NUMERICAL)
def _numerical(question: QuestionSpec, answer: Any) -> tuple[float, tuple[str, ...]]:
    value = read_learner_number(answer)
    if value is None:
        return 0.0, ()
    matches = [a for a in question.numbers if _within(value, a.low, a.high)]
    if not matches:
        return 0.0, ()
    best = max(matches, key=lambda a: a.weight)
    return best.weight / FULL, (best.feedback,)


def _within(value: float, low: float, high: float) -> bool:
    slack = EPSILON * max(1.0, abs(low), abs(high))
    return low - slack <= value <= high + slack


@register(MATCHING)
def _matching(question: QuestionSpec, answer: Any) -> tuple[float, tuple[str, ...]]:
    if not isinstance(answer, dict) or not question.pairs:
        return 0.0, ()
    size = len(question.pairs)
    chosen = {index_of(left, size): index_of(right, size) for left, right in answer.items()}
    right = sum(
        1 for index, pair in enumerate(question.pairs)
        if chosen.get(index) is not None and question.pairs[chosen[index]].right == pair.right
    )
    return right / size, ()
