"""Pieces of GIFT text for the exporter and the question types that write their own answer blocks."""
from __future__ import annotations

from .gift_text import FORMAT_MARKER
from .model import FULL, NumberAnswer

_SPECIAL = "\\~=#{}:"  # the backslash first, so the escapes added after it are not doubled
ANSWER = "\n  "  # each answer on its own line inside the braces


def escape_gift(text: str) -> str:
    """GIFT text for ``text``: special characters escaped, line breaks as ``\\n``."""
    for char in _SPECIAL:
        text = text.replace(char, "\\" + char)
    text = text.replace("\r\n", "\n").replace("\n", "\\n")
    if FORMAT_MARKER.match(text):  # text that happens to start like "[html]" must stay text
        text = "[markdown]" + text
    return text


def percent(weight: float) -> str:
    """A percentage as GIFT writes it, without an exponent and exact for the decimals trainers use."""
    return f"{weight:.10f}".rstrip("0").rstrip(".")


def feedback(text: str) -> str:
    """``#feedback`` after an answer, or nothing."""
    return f"#{escape_gift(text)}" if text else ""


def weighted(weight: float, text: str = "") -> str:
    """The ``=`` of a typed answer, with its percentage unless it is worth 100%.

    An answer whose text starts with '%' always gets its percentage, or the text would be read as one.
    """
    return "=" if weight == FULL and not text.startswith("%") else f"=%{percent(weight)}%"


def number(value: float) -> str:
    """The shortest text that reads back as exactly ``value`` (``1961``, not ``1961.0``)."""
    text = repr(value)
    return text.removesuffix(".0")


def number_text(answer: NumberAnswer) -> str:
    """``value:tolerance`` or ``min..max``, chosen so that reading it back gives the same range."""
    if answer.value is None:
        return f"{number(answer.low)}..{number(answer.high)}"
    if answer.low == answer.high == answer.value:
        return number(answer.value)
    for digits in range(1, 18):  # shortest first: the tolerance an author wrote is usually short
        for spread in (answer.high - answer.value, answer.value - answer.low):
            tolerance = f"{spread:.{digits}g}"
            if answer.value - float(tolerance) == answer.low and answer.value + float(tolerance) == answer.high:
                return f"{number(answer.value)}:{tolerance}"
    return f"{number(answer.low)}..{number(answer.high)}"  # no tolerance reproduces both ends; keep the range exact
