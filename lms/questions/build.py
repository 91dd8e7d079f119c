"""Rules both quiz formats share, so the same question gets the same spec and the same errors."""
from __future__ import annotations

import re
from dataclasses import dataclass

from lms.documents.errors import Problem

from .model import FULL, QuestionSpec
from .types import TYPES

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


def question_problems(question: QuestionSpec) -> list[str]:
    """Everything wrong with a finished question, as messages for its first line."""
    problems = []
    if not question.prompt.strip():
        problems.append("question has no prompt")
    if not question.key.strip():
        problems.append("question key is empty")
    question_type = TYPES.get(question.type)
    if question_type is None:
        problems.append(f"unknown question type '{question.type}'")
    else:
        problems.extend(question_type.problems(question))
    return problems


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
