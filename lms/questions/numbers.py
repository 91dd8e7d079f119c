"""Reading numbers in quiz files, strictly (what learners type: learner_numbers.py)."""
from __future__ import annotations

import math
import re

from .model import NumberAnswer

# Deliberately narrower than float(): no "inf", "nan", underscores or hex, which float()
# would accept but no trainer means.
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
NUMBER_RE = re.compile(rf"^{_NUMBER}$")
_PLUS_MINUS = re.compile(rf"^({_NUMBER})\s*(?:±|\+/-|\+-)\s*({_NUMBER})$")
_RANGE = re.compile(rf"^({_NUMBER})\s*\.\.\s*({_NUMBER})$")
_GIFT_TOLERANCE = re.compile(rf"^({_NUMBER})\s*:\s*({_NUMBER})$")


class NumberError(ValueError):
    """A number or range in a quiz file that cannot be read; the message is for trainers."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NumberError(f"'{text}' is too large a number")
    return value


def _around(value: str, tolerance: str, weight: float, feedback: str) -> NumberAnswer:
    centre, spread = _finite(value), _finite(tolerance)
    if spread < 0:
        raise NumberError(f"tolerance '{tolerance}' must not be negative")
    return NumberAnswer(centre - spread, centre + spread, weight, feedback, centre)


def _between(low: str, high: str, weight: float, feedback: str) -> NumberAnswer:
    bottom, top = _finite(low), _finite(high)
    if bottom > top:
        raise NumberError(f"range '{low}..{high}' starts above where it ends")
    return NumberAnswer(bottom, top, weight, feedback)


def markdown_number(text: str, weight: float, feedback: str) -> NumberAnswer:
    """Read ``42``, ``42 ± 0.5`` (or ``+/-``) or ``40..45`` from a markdown quiz file."""
    spec = text.strip()
    if NUMBER_RE.match(spec):
        return _around(spec, "0", weight, feedback)
    match = _PLUS_MINUS.match(spec)
    if match:
        return _around(match.group(1), match.group(2), weight, feedback)
    match = _RANGE.match(spec)
    if match:
        return _between(match.group(1), match.group(2), weight, feedback)
    raise NumberError(f"numerical answer '{spec}' is not a number (write 42, 42 ± 0.5 or 40..45)")


def gift_number(text: str, weight: float, feedback: str) -> NumberAnswer:
    """Read ``42``, ``42:0.5`` or ``40..45`` from a GIFT numerical answer."""
    spec = text.strip()
    if NUMBER_RE.match(spec):
        return _around(spec, "0", weight, feedback)
    match = _GIFT_TOLERANCE.match(spec)
    if match:
        return _around(match.group(1), match.group(2), weight, feedback)
    match = _RANGE.match(spec)
    if match:
        return _between(match.group(1), match.group(2), weight, feedback)
    raise NumberError(f"numerical answer '{spec}' is not a number (write 42, 42:0.5 or 40..45)")


def looks_numerical(text: str) -> bool:
    """Whether a markdown ``Answer:`` value reads as a number, tolerance or range."""
    spec = text.strip()
    return bool(NUMBER_RE.match(spec) or _PLUS_MINUS.match(spec) or _RANGE.match(spec))

