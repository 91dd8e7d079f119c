"""Read Moodle GIFT quiz files into the same QuizSpec the markdown format produces.

Questions are separated by blank lines. An optional YAML front matter block at the very
top gives the quiz settings; without it the title comes from the file name. As in Moodle,
text without an answer block is a description, a ``$CATEGORY:`` line names the category of
the questions after it, and a ``// [id:…]`` line gives the next question its key
(``gift_keys`` explains how keys are chosen).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from lms.documents.errors import ContentError, Problem

from .build import duplicate_key_problems, question_problems
from .gift_answers import read_answers
from .gift_keys import Draft, assign_keys
from .gift_text import protect, restore, split_format, to_markdown
from .model import DESCRIPTION, QuestionSpec, QuizSpec
from .settings import Settings, load_document, read_settings, title_from_path

BLANK = "_____"  # what Moodle puts where the answers stood in a missing-word question
ID_LINE = re.compile(r"^//\s*\[id:([^\]]*)\]")
CATEGORY = "$CATEGORY:"


@dataclass
class Block:
    """One question's lines (comments removed), with helpers for its answer parser."""

    path: str
    lines: list[str]
    line_numbers: list[int]
    fmt: str = "moodle"
    problems: list[Problem] = field(default_factory=list)
    category: str = ""  # from the last $CATEGORY line above the question
    idnumber: str = ""  # from a "// [id:…]" line in the question's block

    def line_at(self, offset: int) -> int:
        """The file line holding character ``offset`` of the joined, escape-protected text."""
        index = self.joined.count("\n", 0, offset)
        return self.line_numbers[min(index, len(self.line_numbers) - 1)]

    def fail(self, offset: int, message: str) -> None:
        """Record a problem at the line holding ``offset``."""
        self.fail_line(self.line_at(offset), message)

    def fail_line(self, line: int, message: str) -> None:
        """Record a problem at ``line``."""
        self.problems.append(Problem(self.path, line, message))

    def text(self, raw: str) -> str:
        """Markdown source for a piece of question text, honouring a leading [format] marker."""
        fmt, rest = split_format(raw, self.fmt)
        return to_markdown(restore(rest).strip(), fmt)

    def plain(self, raw: str) -> str:
        """Text compared with what learners type or pick: unescaped, never converted."""
        return restore(split_format(raw, self.fmt)[1]).strip()

    @cached_property
    def joined(self) -> str:
        """The question text with escapes protected, lines joined by newlines."""
        return protect("\n".join(self.lines))


def parse_gift(path: str, text: str) -> QuizSpec:
    """Parse a GIFT quiz file; raises ContentError listing every problem found."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        doc = load_document(path, text)
        settings = read_settings(doc, default_title=title_from_path(path))
        problems, body, first_line = list(doc.problems), doc.body, doc.body_line
    else:
        settings, problems, body, first_line = Settings(title_from_path(path)), [], text, 1
    drafts = []
    for block in _blocks(path, body, first_line):
        draft = _question(block)
        problems.extend(block.problems)
        if draft is not None:
            drafts.append(draft)
    questions, renamed = assign_keys(path, drafts)
    problems.extend(duplicate_key_problems(path, questions))
    if not questions and not problems:
        problems.append(Problem(path, first_line, "the file has no questions"))
    if problems:
        raise ContentError(problems)
    return replace(settings.quiz(questions), renamed=tuple(renamed))


def _blocks(path: str, body: str, first_line: int) -> list[Block]:
    """Group lines into questions at blank lines; comments are dropped after reading ids and categories."""
    blocks = [Block(path, [], [])]
    for offset, line in enumerate(body.splitlines()):
        stripped = line.strip()
        if stripped.startswith(CATEGORY):
            blocks[-1].category = stripped[len(CATEGORY):].strip()
            continue
        if stripped.startswith("//"):
            if match := ID_LINE.match(stripped):
                blocks[-1].idnumber = match.group(1).strip()
            continue
        if not stripped:
            if blocks[-1].lines:
                blocks.append(Block(path, [], [], category=blocks[-1].category))
            else:  # as in Moodle, an id line belongs to the question in its own group of lines
                blocks[-1].idnumber = ""
            continue
        blocks[-1].lines.append(line)
        blocks[-1].line_numbers.append(first_line + offset)
    return [block for block in blocks if block.lines]


def _question(block: Block) -> Draft | None:
    """Build the draft of one question block; problems go to ``block.problems``."""
    text = block.joined
    name, start = _title(block, text)
    if start < 0:
        return None
    block.fmt, rest = split_format(text[start:], "moodle")
    start = len(text) - len(rest)
    if "{" not in rest and "}" not in rest:  # Moodle: text without an answer block is a description
        prompt, fields = text[start:], {"type": DESCRIPTION, "points": 0.0}
    else:
        braces = _braces(block, text, start)
        if braces is None:
            return None
        opening, closing = braces
        after = text[closing + 1:]
        prompt = text[start:opening] + (BLANK + after if after.strip() else "")
        fields = read_answers(block, text[opening + 1:closing], opening + 1)
        if fields is None:
            return None
    spec = QuestionSpec(
        key=block.idnumber or name or "q",  # settled by assign_keys once every question is read
        prompt=to_markdown(restore(prompt).strip(), block.fmt),
        line=block.line_numbers[0],
        category=block.category,
        **fields,
    )
    if not block.problems:  # after a bad answer, whole-question checks only repeat its consequences
        for message in question_problems(spec):
            block.fail_line(spec.line, message)
    return Draft(spec, name, block.idnumber)


def _title(block: Block, text: str) -> tuple[str, int]:
    """The ``::title::`` (or '') and where the question text starts; -1 after a problem."""
    start = len(text) - len(text.lstrip())
    if not text.startswith("::", start):
        return "", start
    end = text.find("::", start + 2)
    if end < 0:
        block.fail(start, "question title '::…' is not closed by '::'")
        return "", -1
    return re.sub(r"\s+", " ", restore(text[start + 2:end])).strip(), end + 2


def _braces(block: Block, text: str, start: int) -> tuple[int, int] | None:
    """Offsets of the answer block's '{' and '}'; None after a problem."""
    opening = text.find("{", start)
    if opening < 0:
        block.fail(text.find("}", start), "'}' without '{': answers cannot contain blank lines")
        return None
    closing = text.find("}", opening + 1)
    if closing < 0:
        block.fail(opening, "'{' is not closed by '}' (write \\{ for a literal brace)")
        return None
    if "{" in text[opening + 1:closing]:
        block.fail(text.find("{", opening + 1), "'{' inside the answers must be written \\{")
        return None
    if "{" in text[closing + 1:]:
        block.fail(text.find("{", closing + 1), "a question can have only one answer block {…}")
        return None
    return opening, closing
