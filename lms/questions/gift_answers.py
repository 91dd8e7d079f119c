"""Read the answer block of one GIFT question: the text between ``{`` and ``}``.

The type is decided the way Moodle decides it: nothing is an essay, a leading ``#`` is numerical, any ``~``
is a choice question, ``=`` with ``->`` is matching, a lone T/F/TRUE/FALSE is
true/false, and ``=`` answers alone are short answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .build import BadItem, read_percent
from .gift_text import restore
from .model import (
    ANY_NUMBER,
    ESSAY,
    FULL,
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
    Choice,
    NumberAnswer,
    Pair,
    TextAnswer,
)
from .numbers import NumberError, gift_number

if TYPE_CHECKING:
    from .gift import Block

WEIGHT = re.compile(r"^\s*%([^%]*)%")
TRUE_WORDS = ("T", "TRUE")
FALSE_WORDS = ("F", "FALSE")
CATCH_ALL_TEXT = "'~' in a numerical question takes only feedback for any other number: write it '~#feedback'"


@dataclass
class Token:
    """One answer: its marker ('=' or '~'), optional percentage, text and feedback."""

    offset: int
    marker: str
    weight: float | None
    text: str
    feedback: str
    has_feedback: bool = False


def read_answers(block: Block, body: str, base: int) -> dict | None:
    """QuestionSpec fields (type, answers, general feedback) for the braces' content ``body``.

    ``base`` is the offset of ``body`` in the question text, for line numbers.
    """
    general = ""
    cut = body.rfind("####")
    if cut != -1:
        general = block.text(body[cut + 4:])
        body = body[:cut]
    head = body.strip()
    if not head:
        fields = {"type": ESSAY}
    elif head.startswith("#"):
        fields = _numerical(block, body, base)
    elif "~" in body:
        fields = _choices(block, body, base)
    elif "=" in body and "->" in body:
        fields = _matching(block, body, base)
    elif head.split("#", 1)[0].strip().upper() in TRUE_WORDS + FALSE_WORDS:
        fields = _true_false(block, head, base)
    else:
        fields = _short_answers(block, body, base)
    if fields is not None:
        fields["general_feedback"] = general
    return fields


def _tokens(block: Block, body: str, base: int) -> list[Token] | None:
    """Split ``body`` at every '=' and '~'; None (after a problem) when that is impossible."""
    starts = [index for index, char in enumerate(body) if char in "=~"]
    if not starts or body[: starts[0]].strip():
        block.fail(base, "each answer must start with '=' (right) or '~' (wrong)")
        return None
    tokens = []
    for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
        piece = body[start + 1:end]
        weight = None
        match = WEIGHT.match(piece)
        if match:
            try:
                weight = read_percent(match.group(1))
            except BadItem as exc:
                block.fail(base + start, str(exc))
            piece = piece[match.end():]
        elif piece.lstrip().startswith("%"):
            block.fail(base + start, "a percentage goes between two % signs, like %50% or %-25%")
        text, hash_sign, feedback = piece.partition("#")
        tokens.append(Token(base + start, body[start], weight, text, feedback, bool(hash_sign)))
    return tokens


def _choices(block: Block, body: str, base: int) -> dict | None:
    """Moodle's rule: any '=' makes a single-answer question, '=' is worth 100% and '~' 0% unless weighted."""
    tokens = _tokens(block, body, base)
    if tokens is None:
        return None
    weights = []
    for token in tokens:
        if token.marker == "=" and token.weight not in (None, FULL):
            block.fail(token.offset, "'=' already means 100%: write '~%50%' for partial credit")
        weights.append(FULL if token.marker == "=" else token.weight or 0.0)
    choices = tuple(Choice(block.text(t.text), w, block.text(t.feedback)) for t, w in zip(tokens, weights, strict=True))
    single = any(token.marker == "=" for token in tokens)
    return {"type": SINGLE if single else MULTIPLE, "choices": choices}


def _matching(block: Block, body: str, base: int) -> dict | None:
    tokens = _tokens(block, body, base)
    if tokens is None:
        return None
    pairs, distractors = [], []
    for token in tokens:
        left, arrow, right = token.text.partition("->")
        if token.weight is not None or token.has_feedback:
            block.fail(token.offset, "matching pairs cannot have percentages or feedback")
        if not arrow:
            block.fail(token.offset, "each matching pair needs '->' between its two sides")
        if arrow and not block.plain(left) and block.plain(right):  # "= -> text": offered, matching nothing
            distractors.append(block.plain(right))
        else:
            pairs.append(Pair(block.text(left), block.plain(right)))
    return {"type": MATCHING, "pairs": tuple(pairs), "distractors": tuple(distractors)}


def _true_false(block: Block, head: str, base: int) -> dict | None:
    word, *feedback = head.split("#")
    if len(feedback) > 2:
        block.fail(base, "true/false takes at most two feedbacks: {T#shown if wrong#shown if right}")
        return None
    truth = word.strip().upper() in TRUE_WORDS
    wrong, right = (block.text(part) for part in ([*feedback, "", ""])[:2])
    return {
        "type": TRUE_FALSE,
        "truth": truth,
        "feedback_true": right if truth else wrong,
        "feedback_false": wrong if truth else right,
    }


def _short_answers(block: Block, body: str, base: int) -> dict | None:
    lead = len(body) - len(body.lstrip())
    if body.lstrip()[:1] not in ("=", "~"):  # Moodle reads text before the first '=' as a full-credit answer
        body = body[:lead] + "=" + body[lead:]
    tokens = _tokens(block, body, base)
    if tokens is None:
        return None
    texts = tuple(
        TextAnswer(block.plain(t.text), 100.0 if t.weight is None else t.weight, block.text(t.feedback))
        for t in tokens
    )
    return {"type": SHORT_ANSWER, "texts": texts}


def _numerical(block: Block, body: str, base: int) -> dict | None:
    start = body.index("#") + 1
    rest = body[start:]
    if not rest.strip():
        block.fail(base, "a numerical question needs an answer after '#', like {#42:0.5}")
        return None
    if rest.lstrip().startswith(("=", "~")):
        tokens = _tokens(block, rest, base + start)
    else:
        spec, _, feedback = rest.partition("#")
        tokens = [Token(base + start, "=", None, spec, feedback)]
    if tokens is None:
        return None
    numbers = []
    for token in tokens:
        if token.marker == "~":  # Moodle's answer '*': feedback (and no credit) for any other number
            if token.text.strip() or token.weight is not None:
                block.fail(token.offset, CATCH_ALL_TEXT)
            numbers.append(NumberAnswer(-ANY_NUMBER, ANY_NUMBER, 0.0, block.text(token.feedback)))
            continue
        weight = 100.0 if token.weight is None else token.weight
        try:
            numbers.append(gift_number(restore(token.text), weight, block.text(token.feedback)))
        except NumberError as exc:
            block.fail(token.offset, str(exc))
    return {"type": NUMERICAL, "numbers": tuple(numbers)}
