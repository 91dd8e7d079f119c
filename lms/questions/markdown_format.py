"""Read a markdown quiz file: YAML front matter, then one '## ' heading per question.

See docs/quizzes.md for the syntax trainers write.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from lms.documents.errors import ContentError, Problem

from .build import duplicate_key_problems
from .markdown_question import COMMENT, QuestionReader
from .model import QuizSpec
from .settings import load_document, read_settings

HEADING = re.compile(r"^ {0,3}##(?!#)(?:[ \t]+(.*?))?[ \t]*$")
TITLE = re.compile(r"^ {0,3}#(?:[ \t].*)?$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")

MULTILINE_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
BEFORE_FIRST = "text before the first question: start each question with a '## ' heading"
NO_QUESTIONS = "the quiz has no questions: start each question with a '## ' heading"


def parse_markdown_quiz(path: str, text: str) -> QuizSpec:
    """Parse a markdown quiz file; raises ContentError listing every problem found."""
    doc = load_document(path, text.removeprefix("\ufeff"))
    settings = read_settings(doc, default_title=None)
    problems = list(doc.problems)
    questions = []
    body = _blank_comments(doc.body)
    for position, reader in enumerate(_readers(path, body, doc.body_line, problems), start=1):
        spec = reader.finish(position)
        problems.extend(reader.problems)
        if spec is not None:
            questions.append(spec)
    problems.extend(duplicate_key_problems(path, questions))
    if not questions and not problems:
        problems.append(Problem(path, doc.body_line, NO_QUESTIONS))
    if problems:
        raise ContentError(problems)
    return settings.quiz(questions)


def _readers(path: str, body: str, first_line: int, problems: list[Problem]) -> Iterator[QuestionReader]:
    """One reader per '## ' heading, fed the lines up to the next heading."""
    reader = None
    fence = None
    reported = False
    for offset, text in enumerate(body.splitlines()):
        line = first_line + offset
        fenced, fence = _fence_state(text, fence)
        heading = None if fenced else HEADING.match(text)
        if heading:
            if reader is not None:
                yield reader
            reader = QuestionReader(path, line, _heading_text(heading.group(1) or ""))
        elif reader is not None:
            reader.add(line, text, fenced)
        elif (fenced or not (not text.strip() or TITLE.match(text) or COMMENT.match(text))) and not reported:
            problems.append(Problem(path, line, BEFORE_FIRST))
            reported = True
    if reader is not None:
        yield reader


def _blank_comments(body: str) -> str:
    """Turn every ``<!-- comment -->``, even one spanning lines, into blank lines (line numbers stay right)."""
    return MULTILINE_COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), body)


def _heading_text(text: str) -> str:
    # Markdown allows closing hashes ("## Prompt ##"); they are not part of the prompt.
    return re.sub(r"(?:^|[ \t]+)#+$", "", text).strip()


def _fence_state(text: str, fence: str | None) -> tuple[bool, str | None]:
    """Whether ``text`` belongs to a fenced code block, and the fence open after it."""
    match = FENCE.match(text)
    if fence is None:
        return (True, match.group(1)) if match else (False, None)
    closing = text.strip()
    if match and closing == closing[0] * len(closing) and closing[0] == fence[0] and len(closing) >= len(fence):
        return True, None
    return True, fence
