"""Read one question of a markdown quiz: the lines under one '## ' heading.

A question goes through four stages, always in this order: setting lines (``key:``,
``type:``, ``points:``, ``category:``, ``tags:``, and ``match:`` or ``ratio:`` for the types that
take them) right under the heading, prompt paragraphs, the answers (options, ``Answer:`` lines or
``left -> right`` pairs) and finally ``Feedback:``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lms.documents.errors import Problem

from .answers_md import build_answer_fields
from .build import question_problems
from .model import QuestionSpec
from .numbers import NUMBER_RE
from .text_match import MATCH_MODES
from .types import TYPES

SETTING = re.compile(r"^ {0,3}(key|type|points|category|tags|match|ratio)[ \t]*:(.*)$", re.IGNORECASE)
OPTION = re.compile(r"^ {0,3}[-*+][ \t]+\[([ xX]?)\][ \t]*(.*)$")
PAIR = re.compile(r"^ {0,3}[-*+][ \t]+(.*?)(?:->|→)(.*)$")
ANSWER = re.compile(r"^ {0,3}answer[ \t]*:(.*)$", re.IGNORECASE)
FEEDBACK = re.compile(r"^ {0,3}feedback[ \t]*:(.*)$", re.IGNORECASE)
QUOTE = re.compile(r"^[ \t]*>[ \t]?(.*)$")
INDENTED = re.compile(r"^(?: {2,}|\t)\S")
COMMENT = re.compile(r"^\s*<!--.*-->\s*$")

YES_NO = {"true": True, "yes": True, "false": False, "no": False}
STRAY = "unexpected text after the answers: move it above the answers (prompt) or below a 'Feedback:' line"


@dataclass
class Item:
    """One answer as written: an option, an ``Answer:`` line or a matching pair."""

    kind: str  # "option", "answer" or "pair"
    line: int
    text: list[str]
    right: str = ""  # pairs: the right-hand side
    ticked: bool = False  # options: [x]
    feedback: list[str] = field(default_factory=list)


class QuestionReader:
    """Collects the lines of one question, stage by stage, then builds its spec."""

    def __init__(self, path: str, line: int, heading: str):
        self.path, self.line, self.heading = path, line, heading
        self.settings: dict[str, tuple[int, str]] = {}
        self.prompt: list[str] = []
        self.items: list[Item] = []
        self.feedback: list[str] = []
        self.problems: list[Problem] = []
        self._stage = self._settings
        self._stray_reported = False

    def add(self, line: int, text: str, fenced: bool) -> None:
        """Take the next line of the question; ``fenced`` lines belong to a code block."""
        if not fenced and COMMENT.match(text) and self._stage in (self._settings, self._answers):
            return
        self._stage(line, text, fenced)

    def fail(self, line: int, message: str) -> None:
        """Record a problem at ``line``."""
        self.problems.append(Problem(self.path, line, message))

    def _settings(self, line: int, text: str, fenced: bool) -> None:
        match = None if fenced else SETTING.match(text)
        if match:
            name = match.group(1).lower()
            if name in self.settings:
                self.fail(line, f"'{name}:' is given twice")
            else:
                self.settings[name] = (line, match.group(2).strip())
        elif text.strip() or fenced:
            self._stage = self._prompt
            self._prompt(line, text, fenced)

    def _prompt(self, line: int, text: str, fenced: bool) -> None:
        if not fenced and self._open_item(line, text):
            self._stage = self._answers
        elif not fenced and FEEDBACK.match(text):
            self._start_feedback(text)
        elif not fenced and (match := SETTING.match(text)):
            # Read as prompt text, a misplaced "points: 2" would silently change nothing.
            self.fail(line, f"put '{match.group(1).lower()}:' directly under the question heading")
        else:
            self.prompt.append(text)

    def _open_item(self, line: int, text: str) -> bool:
        if match := OPTION.match(text):
            self.items.append(Item("option", line, [match.group(2)], ticked=match.group(1).lower() == "x"))
        elif match := ANSWER.match(text):
            self.items.append(Item("answer", line, [match.group(1)]))
        elif match := PAIR.match(text):
            self.items.append(Item("pair", line, [match.group(1)], right=match.group(2)))
        return bool(match)

    def _answers(self, line: int, text: str, fenced: bool) -> None:
        if fenced:
            self._stray(line)
        elif self._open_item(line, text):
            return
        elif FEEDBACK.match(text):
            self._start_feedback(text)
        elif not text.strip():
            return
        elif match := QUOTE.match(text):
            self._item_feedback(line, match.group(1))
        elif INDENTED.match(text):
            self._continuation(line, text.strip())
        else:
            self._stray(line)

    def _item_feedback(self, line: int, text: str) -> None:
        item = self.items[-1]
        if item.kind == "pair":
            self.fail(line, "matching pairs cannot have their own feedback; use 'Feedback:' for the question")
        else:
            item.feedback.append(text)

    def _continuation(self, line: int, text: str) -> None:
        item = self.items[-1]
        if item.kind != "option":
            self._stray(line)
        elif item.feedback:
            item.feedback.append(text)  # a lazy continuation of the blockquote, as markdown reads it
        else:
            item.text.append(text)

    def _stray(self, line: int) -> None:
        # One report per question is enough; the rest of a stray paragraph adds nothing.
        if not self._stray_reported:
            self._stray_reported = True
            self.fail(line, STRAY)

    def _start_feedback(self, text: str) -> None:
        self.feedback = [FEEDBACK.match(text).group(1)]
        self._stage = self._in_feedback

    def _in_feedback(self, line: int, text: str, fenced: bool) -> None:
        self.feedback.append(text)

    def finish(self, position: int) -> QuestionSpec | None:
        """The question's spec (None when it cannot be built); problems go to ``self.problems``."""
        key = self._key(position)
        qtype = self._type()
        points = self._points()
        fields = build_answer_fields(self, qtype)
        if fields is None:
            return None
        spec = QuestionSpec(
            key=key,
            prompt=self._prompt_text(),
            general_feedback="\n".join(self.feedback).strip(),
            category=self._category(),
            tags=self._tags(),
            line=self.line,
            **{"points": points, **fields},
            **self._options(fields["type"]),
        )
        if not self.problems:  # after a bad line, whole-question checks only repeat its consequences
            for message in question_problems(spec):
                self.fail(self.line, message)
        return spec

    def _options(self, qtype: str) -> dict:
        """The settings only some types take (``match:``, ``ratio:``), checked and as the spec stores them."""
        readers = {"match": self._match, "ratio": self._ratio}
        options = {}
        for name, read in readers.items():
            line, value = self.settings.get(name, (0, None))
            if value is None:
                continue
            if name in TYPES[qtype].options:
                options[name] = read(line, value)
            else:
                self.fail(line, f"'{name}:' does not apply to {TYPES[qtype].label} questions")
        return options

    def _match(self, line: int, value: str) -> str:
        mode = re.sub(r"[\s-]+", "_", value.strip().lower())
        if mode not in MATCH_MODES:
            known = ", ".join(mode.replace("_", " ") for mode in MATCH_MODES)
            self.fail(line, f"'match:' must be one of: {known}, not '{value}'")
        return mode if mode in MATCH_MODES else MATCH_MODES[0]

    def _ratio(self, line: int, value: str) -> bool:
        answer = YES_NO.get(value.strip().lower())
        if answer is None:
            self.fail(line, f"'ratio:' must be true or false, not '{value}'")
        return bool(answer)

    def _prompt_text(self) -> str:
        rest = "\n".join(self.prompt).strip()
        return "\n\n".join(part for part in (self.heading, rest) if part)

    def _key(self, position: int) -> str:
        line, value = self.settings.get("key", (0, None))
        if value is None:
            return f"q{position}"
        if not value:
            self.fail(line, "'key:' needs a value")
        return value or f"q{position}"

    def _category(self) -> str:
        line, value = self.settings.get("category", (0, None))
        if value == "":
            self.fail(line, "'category:' needs a value")
        return value or ""

    def _tags(self) -> tuple[str, ...]:
        """The ``tags:`` line's comma-separated names, each once, in the order written."""
        line, value = self.settings.get("tags", (0, None))
        names = tuple(dict.fromkeys(name.strip() for name in (value or "").split(",") if name.strip()))
        if value is not None and not names:
            self.fail(line, "'tags:' needs at least one name")
        return names

    def _type(self) -> str | None:
        line, value = self.settings.get("type", (0, None))
        if value is None:
            return None
        name = re.sub(r"[\s/-]+", "_", value.strip().lower())
        if name not in TYPES:
            self.fail(line, f"unknown type '{value}' (known types: {', '.join(TYPES)})")
            return None
        return name

    def _points(self) -> float:
        line, value = self.settings.get("points", (0, None))
        if value is None:
            return 1.0
        if NUMBER_RE.match(value) and 0 < float(value) < 1e9:
            return float(value)
        self.fail(line, f"points must be a positive number, not '{value}'")
        return 1.0
