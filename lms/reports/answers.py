"""Turn a stored answer back into words for the quiz analysis."""
from __future__ import annotations

import json

from ..questions.serialize import question_from_dict
from ..questions.types import is_empty, question_type


def describe_response(question: dict | None, raw: str | None) -> str:
    """A learner's stored answer as the option text they chose, or the text they typed."""
    try:
        value = json.loads(raw) if raw is not None else None
    except ValueError:
        return str(raw)
    if is_empty(value):
        return "(no answer)"
    if not question:
        return str(value)
    spec = question_from_dict(question["spec"])
    return question_type(spec.type).describe(spec, value)
