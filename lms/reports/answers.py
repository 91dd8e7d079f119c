"""Turn a stored answer back into words for the quiz analysis."""
from __future__ import annotations

import json


def describe_response(question: dict | None, raw: str | None) -> str:
    """A learner's stored answer as the option text they chose, or the text they typed."""
    try:
        value = json.loads(raw) if raw is not None else None
    except ValueError:
        return str(raw)
    if value in (None, "", [], {}):
        return "(no answer)"
    spec = question["spec"] if question else {}
    choices = spec.get("choices", [])
    if spec.get("type") in ("single", "multiple"):
        picked = value if isinstance(value, list) else [value]
        return " + ".join(_choice(choices, item) for item in picked)
    if spec.get("type") == "matching" and isinstance(value, dict):
        pairs = spec.get("pairs", [])
        return "; ".join(f"{_pair(pairs, left, 'left')} → {_pair(pairs, right, 'right')}" for left, right in value.items())
    return str(value)


def _choice(choices: list[dict], index) -> str:
    position = int(index) if str(index).isdigit() else -1
    return choices[position]["text"] if 0 <= position < len(choices) else str(index)


def _pair(pairs: list[dict], index, side: str) -> str:
    position = int(index) if str(index).isdigit() else -1
    return pairs[position][side] if 0 <= position < len(pairs) else str(index)
