"""Questions to and from JSON, for the database; round trips give equal specs."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import Choice, NumberAnswer, Pair, QuestionSpec, TextAnswer

NESTED = {"choices": Choice, "texts": TextAnswer, "numbers": NumberAnswer, "pairs": Pair}


def question_to_dict(question: QuestionSpec) -> dict[str, Any]:
    """A JSON-ready dict of every field of ``question``."""
    return asdict(question)


def question_from_dict(data: dict[str, Any]) -> QuestionSpec:
    """Rebuild the QuestionSpec that ``question_to_dict`` produced."""
    fields = dict(data)
    for name, kind in NESTED.items():
        fields[name] = tuple(kind(**item) for item in fields.get(name, ()))
    fields["tags"] = tuple(fields.get("tags", ()))  # JSON gives back a list
    fields["distractors"] = tuple(fields.get("distractors", ()))
    return QuestionSpec(**fields)


def markdown_fields(question: QuestionSpec) -> list[str]:
    """Every markdown string of a question (prompt, options, feedback), to render once."""
    texts = [question.prompt, question.general_feedback, question.feedback_true, question.feedback_false]
    texts += [text for c in question.choices for text in (c.text, c.feedback)]
    texts += [a.feedback for a in question.texts] + [a.feedback for a in question.numbers]
    texts += [pair.left for pair in question.pairs]
    return [text for text in dict.fromkeys(texts) if text]
