"""The registry of question types: the one place that knows each type.

Adding a type is one entry here and its module, plus its answer-sheet partial under
templates/quizzes/types/ (docs/quizzes.md, "Adding a question type").
"""
from __future__ import annotations

from .base import QuestionType
from .choice import MultipleChoice, SingleChoice
from .matching import Matching
from .true_false import TrueFalse
from .typed import Numerical, ShortAnswer
from .unmarked import Description, Essay

TYPES: dict[str, QuestionType] = {
    question_type.name: question_type
    for question_type in (
        SingleChoice(), MultipleChoice(), TrueFalse(), ShortAnswer(), Numerical(), Matching(), Essay(), Description(),
    )
}


def question_type(name: str) -> QuestionType:
    """The type called ``name``; a KeyError names an unknown one."""
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"no question type '{name}' (known: {', '.join(TYPES)})") from None


def is_empty(response) -> bool:
    """Whether a stored answer says nothing (no option picked, nothing but spaces typed)."""
    return response in (None, "", [], {}) or (isinstance(response, str) and not response.strip())
