"""Comparing a learner's typed words with an accepted answer, fairly and without guessing.

An accepted answer is a pattern in Moodle's sense: a run of ``*`` matches any run of characters and
``\\*`` is a literal star. Both sides are normalised the same way before they are compared; how far
depends on the question's ``match`` setting (see docs/quizzes.md, "How typed answers are marked").
"""
from __future__ import annotations

import re
import unicodedata

LENIENT = "lenient"  # the default: case, spacing, surrounding punctuation, Unicode forms and articles
KEEP_ARTICLES = "keep_articles"  # as lenient, but a leading "a", "an" or "the" must match too
EXACT = "exact"  # character for character; only surrounding spaces and Unicode encodings are ignored
MATCH_MODES = (LENIENT, KEEP_ARTICLES, EXACT)

_STARS = re.compile(r"(?<!\\)\*+")
_SPACES = re.compile(r"\s+")
_ARTICLE = re.compile(r"^(?:a|an|the) (?=\S)")


def _is_edge_noise(char: str) -> bool:
    """Punctuation or white space, which carries no meaning at either end of a short answer."""
    return char.isspace() or unicodedata.category(char).startswith("P")


def _fold(text: str, mode: str) -> str:
    """One piece of text in the form it is compared in: the same for the answer and the pattern."""
    if mode == EXACT:
        return unicodedata.normalize("NFC", text)
    # Case folding can undo NFKC (e.g. on some ligatures), so normalise on both sides of it.
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _SPACES.sub(" ", folded)


def _trim(text: str, start: bool, end: bool, mode: str) -> str:
    """Remove what does not count at the start and at the end of the whole answer."""
    if mode == EXACT:
        text = text.lstrip() if start else text
        return text.rstrip() if end else text
    first, last = 0, len(text)
    while start and first < last and _is_edge_noise(text[first]):
        first += 1
    while end and last > first and _is_edge_noise(text[last - 1]):
        last -= 1
    return text[first:last]


def _drop_article(text: str, mode: str) -> str:
    return _ARTICLE.sub("", text, count=1) if mode == LENIENT else text


def normalise_answer(typed: str, mode: str = LENIENT) -> str:
    """A learner's answer as it is compared: ``"  The Holding  statement."`` becomes ``holding statement``."""
    return _drop_article(_trim(_fold(typed, mode), True, True, mode), mode)


def pattern_pieces(pattern: str, mode: str = LENIENT) -> list[str]:
    """The literal pieces of an accepted answer, normalised; a wildcard sits between each two."""
    raw = [piece.replace("\\*", "*") for piece in _STARS.split(pattern)]
    last = len(raw) - 1
    pieces = [_trim(_fold(piece, mode), index == 0, index == last, mode) for index, piece in enumerate(raw)]
    pieces[0] = _drop_article(pieces[0], mode)
    return pieces


def matches(typed: str, pattern: str, mode: str = LENIENT) -> bool:
    """Whether a learner's answer matches an accepted answer (with its wildcards) under ``mode``."""
    return fits(normalise_answer(typed, mode), pattern_pieces(pattern, mode))


def fits(text: str, pieces: list[str]) -> bool:
    """Whether ``text`` is ``pieces`` joined by runs of any characters.

    Searching each middle piece leftmost is enough for ``*`` wildcards and takes linear time, where
    a regular expression with several ``.*`` could backtrack for a long time on a long answer.
    """
    if len(pieces) == 1:
        return text == pieces[0]
    first, *middle, last = pieces
    if not text.startswith(first) or len(text) < len(first) + len(last) or not text.endswith(last):
        return False
    position, stop = len(first), len(text) - len(last)
    for piece in middle:
        found = text.find(piece, position, stop)
        if found < 0:
            return False
        position = found + len(piece)
    return True
