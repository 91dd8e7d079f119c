"""Quiz settings from YAML front matter, shared by the markdown and GIFT formats."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import PurePath

from lms.documents.errors import ContentError, Problem
from lms.documents.frontmatter import Document, check_keys, parse_document

from .learner_numbers import DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS
from .model import REVEAL_CHOICES, PoolRule, QuestionSpec, QuizSpec
from .pools import pool_problems, read_draw

OPTIONAL_KEYS: dict[str, type] = {
    "pass_mark": int,
    "attempts": object,  # a whole number or the word "unlimited"; checked below
    "shuffle": bool,
    "reveal": str,
    "draw": object,  # a list of pool rules; checked in pools.py
    "number_format": str,
}


@dataclass
class Settings:
    """Quiz-wide settings read from front matter, with defaults filled in."""

    title: str
    pass_mark: int = 80
    max_attempts: int | None = None
    shuffle: bool = False
    reveal: str = "after_each_attempt"
    draw: tuple[PoolRule, ...] = ()
    path: str = ""  # the file, for problems with the draw rules
    number_format: str = DEFAULT_NUMBER_FORMAT

    def quiz(self, questions: list[QuestionSpec]) -> QuizSpec:
        """Combine these settings with parsed questions; raises ContentError if the pools do not fit them.

        The number format is copied into every question, so that grading stays a function of the question.
        Pools are checked last, once the questions are sound: counting a broken file's pools would
        only repeat its other problems.
        """
        questions = [replace(question, number_format=self.number_format) for question in questions]
        quiz = QuizSpec(
            title=self.title,
            pass_mark=self.pass_mark,
            max_attempts=self.max_attempts,
            shuffle_questions=self.shuffle,
            shuffle_options=self.shuffle,
            reveal=self.reveal,
            questions=tuple(questions),
            draw=self.draw,
        )
        problems = pool_problems(self.path, quiz)
        if problems:
            raise ContentError(problems)
        return quiz


def load_document(path: str, text: str) -> Document:
    """Split front matter from body; problems are collected in the document."""
    return parse_document(path, text)


def title_from_path(path: str) -> str:
    """A readable default title from a file name: content-planning.gift -> Content planning."""
    words = re.sub(r"[-_]+", " ", PurePath(path).stem).strip()
    return (words[:1].upper() + words[1:]) or "Quiz"


def read_settings(doc: Document, default_title: str | None) -> Settings:
    """Check the front matter of ``doc``; problems go to ``doc.problems``.

    With ``default_title`` None the title key is required (markdown quizzes).
    """
    settings = Settings(title=default_title or "", path=doc.path)
    if doc.problems:
        return settings  # the front matter could not be read; "missing title" would only add noise
    required = {"title": str} if default_title is None else {}
    optional = dict(OPTIONAL_KEYS) if default_title is None else {"title": str, **OPTIONAL_KEYS}
    check_keys(doc, required, optional)
    meta = doc.meta
    title = meta.get("title")
    if isinstance(title, (str, int, float)) and not isinstance(title, bool) and str(title).strip():
        settings.title = str(title).strip()
    elif isinstance(title, str) and title:
        _problem(doc, "title", "'title' must not be blank")
    pass_mark = meta.get("pass_mark")
    if _whole(pass_mark):
        if 0 <= pass_mark <= 100:
            settings.pass_mark = pass_mark
        else:
            _problem(doc, "pass_mark", "'pass_mark' must be a percentage from 0 to 100")
    if "attempts" in meta:
        settings.max_attempts = _attempts(doc, meta["attempts"])
    if isinstance(meta.get("shuffle"), bool):
        settings.shuffle = meta["shuffle"]
    reveal = meta.get("reveal")
    if isinstance(reveal, str):
        if reveal in REVEAL_CHOICES:
            settings.reveal = reveal
        else:
            _problem(doc, "reveal", f"'reveal' must be one of: {', '.join(REVEAL_CHOICES)}")
    settings.draw = read_draw(doc)
    if "number_format" in meta:
        settings.number_format = _number_format(doc, meta["number_format"])
    return settings


def _number_format(doc: Document, value: object) -> str:
    if isinstance(value, str) and value.strip() in NUMBER_FORMATS:
        return value.strip()
    if isinstance(value, (bool, list, dict)):
        return DEFAULT_NUMBER_FORMAT  # check_keys has already said it must be text
    formats = ", ".join(f'"{name}"' for name in NUMBER_FORMATS)
    _problem(doc, "number_format", f"'number_format' must be one of: {formats} (how the quiz writes 1234.5)")
    return DEFAULT_NUMBER_FORMAT


def _attempts(doc: Document, value: object) -> int | None:
    if isinstance(value, str) and value.strip().lower() == "unlimited":
        return None
    if _whole(value) and value >= 1:
        return value
    _problem(doc, "attempts", "'attempts' must be a whole number of at least 1, or 'unlimited'")
    return None


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problem(doc: Document, key: str, message: str) -> None:
    doc.problems.append(Problem(doc.path, doc.line_of(key), message))
