"""Rules both quiz formats share, so the same question gets the same spec and the same errors."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lms.documents.errors import Problem

from .model import MATCHING, MULTIPLE, NUMERICAL, SHORT_ANSWER, SINGLE, TRUE_FALSE, QuestionSpec

FULL = 100.0
# Moodle stores thirds as 33.33333%, so three of them must still count as a full 100%.
SLACK = 0.01

_PERCENT = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


class BadItem(ValueError):
    """One answer line or answer token is wrong; the message is for trainers."""


@dataclass(frozen=True)
class RawChoice:
    """An option as written: ``marked`` is [x] or '=', ``weight`` an explicit percentage or None."""

    line: int
    marked: bool
    weight: float | None


def read_percent(text: str) -> float:
    """A percentage between -100 and 100 written without the % sign."""
    if not _PERCENT.match(text.strip()):
        raise BadItem(f"'{text.strip()}%' is not a percentage (write it like 50% or -25%)")
    value = float(text)
    if not -FULL <= value <= FULL:
        raise BadItem(f"percentage {text.strip()}% must be between -100% and 100%")
    return value


def resolve_weights(raw: list[RawChoice]) -> tuple[list[float], list[tuple[int, str]]]:
    """Fill in weights nobody wrote: marked options share 100%, unmarked ones get 0%.

    Mixing marked options with and without a percentage is refused, because no
    share of the remainder would be obviously right to every trainer.
    """
    bare = [item for item in raw if item.marked and item.weight is None]
    weighted = [item for item in raw if item.weight is not None and item.weight > 0]
    if bare and weighted:
        message = "give every correct option a percentage, or none of them (then they share 100%)"
        return [0.0] * len(raw), [(bare[0].line, message)]
    share = FULL / len(bare) if bare else 0.0
    weights = [item.weight if item.weight is not None else (share if item.marked else 0.0) for item in raw]
    return weights, []


def choice_type(weights: list[float]) -> str:
    """Single choice when exactly one option is worth 100% and all others 0%, else multiple."""
    full = [w for w in weights if w >= FULL - SLACK]
    rest = [w for w in weights if w < FULL - SLACK]
    return SINGLE if len(full) == 1 and all(w == 0 for w in rest) else MULTIPLE


def question_problems(question: QuestionSpec) -> list[str]:
    """Everything wrong with a finished question, as messages for its first line."""
    problems = []
    if not question.prompt.strip():
        problems.append("question has no prompt")
    if not question.key.strip():
        problems.append("question key is empty")
    checker = _CHECKS.get(question.type)
    if checker is not None:
        problems.extend(checker(question))
    return problems


def _check_choices(question: QuestionSpec) -> list[str]:
    weights = [choice.weight for choice in question.choices]
    problems = []
    if len(weights) < 2:
        problems.append("a choice question needs at least two options")
    if any(not choice.text.strip() for choice in question.choices):
        problems.append("an option has no text")
    if not any(w > 0 for w in weights):
        problems.append("no correct answer: mark at least one option as correct")
    elif question.type == SINGLE and choice_type(weights) != SINGLE:
        problems.append(
            "a single-choice question needs exactly one correct option (100%) and no percentages on the others"
        )
    elif question.type == MULTIPLE and sum(w for w in weights if w > 0) < FULL - SLACK:
        total = sum(w for w in weights if w > 0)
        problems.append(f"the correct options add up to {total:g}%: the percentages cannot reach 100%")
    return problems


def _check_true_false(question: QuestionSpec) -> list[str]:
    return [] if question.truth is not None else ["no correct answer: say whether the statement is true or false"]


def _check_weighted(answers: tuple, what: str) -> list[str]:
    problems = []
    if not answers:
        problems.append(f"a {what} question needs at least one answer")
    elif max(a.weight for a in answers) < FULL - SLACK:
        problems.append("no correct answer: at least one answer must be worth 100%")
    if any(a.weight < 0 for a in answers):
        problems.append(f"{what} answers cannot have negative percentages")
    return problems


def _check_short(question: QuestionSpec) -> list[str]:
    problems = _check_weighted(question.texts, "short-answer")
    if any(not a.text.strip() for a in question.texts):
        problems.append("a short answer is empty")
    return problems


def _check_numerical(question: QuestionSpec) -> list[str]:
    return _check_weighted(question.numbers, "numerical")


def _check_matching(question: QuestionSpec) -> list[str]:
    problems = []
    if len(question.pairs) < 2:
        problems.append(f"a matching question needs at least two pairs, found {len(question.pairs)}")
    if any(not pair.left.strip() or not pair.right.strip() for pair in question.pairs):
        problems.append("a matching pair needs text on both sides of '->'")
    return problems


_CHECKS = {
    SINGLE: _check_choices,
    MULTIPLE: _check_choices,
    TRUE_FALSE: _check_true_false,
    SHORT_ANSWER: _check_short,
    NUMERICAL: _check_numerical,
    MATCHING: _check_matching,
}


def duplicate_key_problems(path: str, questions: list[QuestionSpec]) -> list[Problem]:
    """A problem for every question whose key an earlier question already uses."""
    first_line: dict[str, int] = {}
    problems = []
    for question in questions:
        if question.key in first_line:
            message = f"duplicate question key '{question.key}' (first used on line {first_line[question.key]})"
            problems.append(Problem(path, question.line, message))
        else:
            first_line[question.key] = question.line
    return problems
