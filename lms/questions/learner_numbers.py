"""Reading the numbers and ratios learners type, under the quiz's number format, without guessing.

A quiz's ``number_format`` names how it writes 1234.5. Separators are accepted only where that format
makes them unambiguous; an answer that only another format could read ("3,5" where commas group
thousands) is asked back with a message before grading, never guessed.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class NumberFormat:
    """A way of writing numbers: the decimal mark and what may group thousands."""

    example: str  # how the format writes one thousand two hundred and thirty-four and a half
    decimal: str
    grouping: str  # characters that may separate groups of three digits (a space stands for any space)
    words: str  # the rule in words, for messages to learners


NUMBER_FORMATS = {
    fmt.example: fmt for fmt in (
        NumberFormat("1,234.5", ".", ", ", "a point before the decimals; commas or spaces between thousands"),
        NumberFormat("1.234,5", ",", ". ", "a comma before the decimals; points or spaces between thousands"),
        NumberFormat("1 234,5", ",", " ", "a comma before the decimals; spaces between thousands"),
    )
}
DEFAULT_NUMBER_FORMAT = "1,234.5"
MAX_NUMBER_LENGTH = 100  # characters; no honest answer is longer, and float() is slow on huge inputs

_SPACES = re.compile(r"\s+")
_RATIO = re.compile(r"\s*(?::|\u2236|\s+to\s+)\s*", re.IGNORECASE)
_SIGN = {"-": -1.0, "+": 1.0, "\u2212": -1.0}


def _pattern(fmt: NumberFormat) -> re.Pattern:
    """Digits, optionally in groups of three joined by one and the same separator, then decimals."""
    mark = re.escape(fmt.decimal)
    grouped = rf"\d{{1,3}}(?P<sep>[{re.escape(fmt.grouping)}])\d{{3}}(?:(?P=sep)\d{{3}})*"
    number = rf"(?:(?P<whole>{grouped}|\d+)(?:{mark}(?P<decimals>\d*))?|{mark}(?P<fraction>\d+))"
    return re.compile(rf"^{number}(?:[eE](?P<exponent>[+-]?\d{{1,4}}))?$", re.ASCII)


_PATTERNS = {name: _pattern(fmt) for name, fmt in NUMBER_FORMATS.items()}


def _prepare(raw: str, fmt: NumberFormat) -> tuple[float, str]:
    """The sign and the rest of a typed number, with Unicode digits, spaces and Arabic marks made plain."""
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.replace("\u066b", fmt.decimal).replace("\u066c", fmt.grouping[0])
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)
    sign = _SIGN.get(text[:1], 0.0)
    rest = text[1:].lstrip() if sign else text
    return sign or 1.0, _SPACES.sub(" ", rest)


def read_number(raw: object, number_format: str = DEFAULT_NUMBER_FORMAT) -> float | None:
    """The value of a typed number under ``number_format``, or None when it does not read as one."""
    fmt = NUMBER_FORMATS.get(number_format, NUMBER_FORMATS[DEFAULT_NUMBER_FORMAT])
    if not isinstance(raw, str) or len(raw) > MAX_NUMBER_LENGTH:
        return None
    sign, text = _prepare(raw, fmt)
    match = _PATTERNS[fmt.example].match(text)
    if not match:
        return None
    whole, separator = match.group("whole") or "0", match.group("sep")
    whole = whole.replace(separator, "") if separator else whole
    decimals = match.group("decimals") or match.group("fraction") or "0"
    plain = f"{whole}.{decimals}e{match.group('exponent') or '0'}"
    value = sign * float(plain)
    return value if math.isfinite(value) else None


def read_ratio(raw: object, number_format: str = DEFAULT_NUMBER_FORMAT) -> float | None:
    """A typed ratio ``a:b``, ``a to b`` or a bare number (``a:1``) as the number a/b, or None."""
    if not isinstance(raw, str) or len(raw) > MAX_NUMBER_LENGTH:
        return None
    sides = _RATIO.split(unicodedata.normalize("NFKC", raw).strip())
    if len(sides) == 1:
        return read_number(sides[0], number_format)
    if len(sides) != 2:
        return None
    first, second = (read_number(side, number_format) for side in sides)
    if first is None or not second:
        return None
    value = first / second
    return value if math.isfinite(value) else None


def number_problem(raw: object, number_format: str = DEFAULT_NUMBER_FORMAT, ratio: bool = False) -> str | None:
    """Why a typed number (or ratio) cannot be graded as it stands, for the learner; None when it can.

    Empty answers are fine here (they score 0); anything else must read under the quiz's format.
    """
    if not isinstance(raw, str) or not raw.strip():
        return None
    if len(raw) > MAX_NUMBER_LENGTH:
        return f"This answer is {len(raw):,} characters long; a number here has at most {MAX_NUMBER_LENGTH}."
    reader = read_ratio if ratio else read_number
    if reader(raw, number_format) is not None:
        return None
    fmt = NUMBER_FORMATS.get(number_format, NUMBER_FORMATS[DEFAULT_NUMBER_FORMAT])
    how = f"This quiz writes numbers like {fmt.example} ({fmt.words})"
    typed = raw.strip()
    if any(reader(raw, other) is not None for other in NUMBER_FORMATS if other != fmt.example):
        return f"“{typed}” could be read in two ways. {how}: please type it that way."
    if ratio:
        example = f"4{fmt.decimal}5:1"
        return f"“{typed}” is not a ratio we can read: write it like {example} or 9 to 2. {how}."
    return f"“{typed}” is not a number. {how}."
