"""Turn the answer lines of one markdown question into QuestionSpec fields.

The kind of answer lines decides the type unless ``type:`` says otherwise:
options ``- [x]`` / ``- [ ]`` are single, multiple or true/false; ``Answer:`` lines are
numerical when every value is a number, else short answer; ``- left -> right`` is matching.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .build import BadItem, RawChoice, read_percent, resolve_weights
from .model import (
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
    Choice,
    Pair,
    TextAnswer,
    choice_type,
)
from .numbers import NumberError, looks_numerical, markdown_number
from .types import TYPES

if TYPE_CHECKING:
    from .markdown_question import Item, QuestionReader

WEIGHT = re.compile(r"^\(([^()%]*)%\)[ \t]*")
ALTERNATIVES = re.compile(r"(?<!\\)\|")

HOW = {
    SINGLE: "single choice uses options '- [x] right' and '- [ ] wrong'",
    MULTIPLE: "multiple choice uses options '- [x] right' and '- [ ] wrong'",
    TRUE_FALSE: "true/false uses the options '- [x] True' and '- [ ] False'",
    SHORT_ANSWER: "short answer uses 'Answer: text | other text' lines",
    NUMERICAL: "numerical uses 'Answer: 42 ± 0.5' or 'Answer: 40..45' lines",
    MATCHING: "matching uses pairs written '- left -> right'",
}
FITS = {"option": (SINGLE, MULTIPLE, TRUE_FALSE), "answer": (SHORT_ANSWER, NUMERICAL), "pair": (MATCHING,)}
TRUE_FALSE_SHAPE = "a true/false question needs exactly the options '- [x] True' and '- [ ] False' (tick the right one)"
NOT_ANSWER_TRUE = ", not 'Answer: true' (add 'type: short_answer' if you mean a typed word)"
NO_ANSWERS = "question has no answers: add options ('- [x] …'), 'Answer:' lines or pairs ('- left -> right')"


def build_answer_fields(reader: QuestionReader, qtype: str | None) -> dict | None:
    """Type and answer fields for the question ``reader`` collected, or None after a problem."""
    items = reader.items
    if qtype is not None and not TYPES[qtype].needs_answers:
        return _without_answers(reader, qtype)
    if not items:
        reader.fail(reader.line, NO_ANSWERS)
        return None
    kinds = {item.kind for item in items}
    if len(kinds) > 1:
        reader.fail(items[0].line, "question mixes options, 'Answer:' lines and '->' pairs; use one kind")
        return None
    kind = kinds.pop()
    if qtype is not None and qtype not in FITS[kind]:
        reader.fail(reader.line, f"type '{qtype}' does not fit these answers: {HOW[qtype]}")
        return None
    builder = {"option": _options, "answer": _answer_lines, "pair": _pairs}[kind]
    return builder(reader, qtype)


def _without_answers(reader: QuestionReader, qtype: str) -> dict | None:
    """An essay or a description: the file gives no answers; text only is worth no points."""
    kind = TYPES[qtype]
    if reader.items:
        reader.fail(reader.items[0].line, f"{kind.label} questions take no answers: remove the answer lines")
        return None
    return {"type": qtype} if kind.answerable else {"type": qtype, "points": 0.0}


def _split_weight(reader: QuestionReader, item: Item, text: str) -> tuple[float | None, str]:
    match = WEIGHT.match(text)
    if not match:
        return None, text
    try:
        return read_percent(match.group(1)), text[match.end():]
    except BadItem as exc:
        reader.fail(item.line, str(exc))
        return None, text[match.end():]


def _feedback(item: Item) -> str:
    return "\n".join(item.feedback).strip()


def _options(reader: QuestionReader, qtype: str | None) -> dict | None:
    parsed = []
    for item in reader.items:
        weight, text = _split_weight(reader, item, "\n".join(item.text).strip())
        if weight is not None and item.ticked and weight <= 0:
            reader.fail(item.line, "a ticked option [x] needs a positive percentage")
            weight = None  # already reported; weighing it would only add follow-on errors
        elif weight is not None and not item.ticked and weight > 0:
            reader.fail(item.line, "an unticked option [ ] cannot have a positive percentage: tick it with [x]")
            weight = None
        parsed.append((item, weight, text.strip()))
    words = sorted(text.lower() for _, _, text in parsed)
    unweighted = all(weight is None for _, weight, _ in parsed)
    if qtype == TRUE_FALSE or (qtype is None and words == ["false", "true"] and unweighted):
        return _true_false(reader, parsed, words == ["false", "true"] and unweighted)
    raw = [RawChoice(item.line, item.ticked, weight) for item, weight, _ in parsed]
    weights, problems = resolve_weights(raw)
    for line, message in problems:
        reader.fail(line, message)
    choices = tuple(Choice(text, w, _feedback(item)) for (item, _, text), w in zip(parsed, weights, strict=True))
    return {"type": qtype or choice_type(weights), "choices": choices}


def _true_false(reader: QuestionReader, parsed: list, shaped: bool) -> dict | None:
    ticked = [text.lower() for item, _, text in parsed if item.ticked]
    if not shaped or len(ticked) != 1:
        reader.fail(reader.line, TRUE_FALSE_SHAPE)
        return None
    feedback = {text.lower(): _feedback(item) for item, _, text in parsed}
    return {
        "type": TRUE_FALSE,
        "truth": ticked[0] == "true",
        "feedback_true": feedback["true"],
        "feedback_false": feedback["false"],
    }


def _answer_lines(reader: QuestionReader, qtype: str | None) -> dict | None:
    lines = []
    for item in reader.items:
        weight, text = _split_weight(reader, item, item.text[0].strip())
        values = [v.strip().replace("\\|", "|") for v in ALTERNATIVES.split(text)]
        if not any(values):
            reader.fail(item.line, "an 'Answer:' line is empty")
        elif not all(values):
            reader.fail(item.line, "an 'Answer:' line has an empty alternative between '|' signs")
        lines.append((item, 100.0 if weight is None else weight, [v for v in values if v]))
    everything = [value for _, _, values in lines for value in values]
    if qtype is None and len(everything) == 1 and everything[0].lower() in ("true", "false"):
        reader.fail(reader.line, TRUE_FALSE_SHAPE + NOT_ANSWER_TRUE)
        return None
    if qtype is None:
        numeric = everything and all(looks_numerical(v) for v in everything)
        signalled = any("±" in v or "+/-" in v for v in everything)
        qtype = NUMERICAL if numeric or signalled else SHORT_ANSWER
    if qtype == SHORT_ANSWER:
        texts = tuple(TextAnswer(v, weight, _feedback(item)) for item, weight, values in lines for v in values)
        return {"type": SHORT_ANSWER, "texts": texts}
    numbers = []
    for item, weight, values in lines:
        for value in values:
            try:
                numbers.append(markdown_number(value, weight, _feedback(item)))
            except NumberError as exc:
                reader.fail(item.line, str(exc))
    return {"type": NUMERICAL, "numbers": tuple(numbers)}


def _pairs(reader: QuestionReader, qtype: str | None) -> dict:
    pairs = tuple(Pair("\n".join(item.text).strip(), item.right.strip()) for item in reader.items)
    return {"type": MATCHING, "pairs": pairs}
