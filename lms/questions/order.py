"""Display order of questions and options: repeatable per attempt, so a review shows what was shown.

Answers are always submitted as indexes in file order (see grading); these helpers only
decide in which order to show things. Use the attempt's id (or any stored value) as seed.
"""
from __future__ import annotations

import random

from .model import QuestionSpec, QuizSpec


def _shuffled(count: int, seed: str) -> tuple[int, ...]:
    order = list(range(count))
    random.Random(seed).shuffle(order)  # a string seed is hashed stably across runs
    return tuple(order)


def question_order(quiz: QuizSpec, seed: object) -> tuple[int, ...]:
    """Indexes into ``quiz.questions`` in display order."""
    if not quiz.shuffle_questions:
        return tuple(range(len(quiz.questions)))
    return _shuffled(len(quiz.questions), f"{seed}:questions")


def option_order(quiz: QuizSpec, question: QuestionSpec, seed: object) -> tuple[int, ...]:
    """Indexes into ``question.choices`` in display order (file order unless the quiz shuffles)."""
    count = len(question.choices)  # empty for types without options
    if not quiz.shuffle_options:
        return tuple(range(count))
    return _shuffled(count, f"{seed}:{question.key}:options")


def right_option_order(question: QuestionSpec, seed: object) -> tuple[int, ...]:
    """Indexes into ``question.right_options()`` in display order, always shuffled.

    Shown in file order the right-hand texts would line up with their left-hand partners
    and give the answers away, so matching shuffles whatever the quiz setting says and
    never returns the file order.
    """
    count = len(question.right_options())  # empty for types without pairs
    order = _shuffled(count, f"{seed}:{question.key}:right")
    if count > 1 and order == tuple(range(count)):
        order = order[1:] + order[:1]
    return order
