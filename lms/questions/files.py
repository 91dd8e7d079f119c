"""Pick the quiz parser from a file's extension."""
from __future__ import annotations

from pathlib import PurePath

from lms.documents.errors import ContentError

from .gift import parse_gift
from .markdown_format import parse_markdown_quiz
from .model import QuizSpec
from .types import question_type

PARSERS = {".md": parse_markdown_quiz, ".gift": parse_gift}
NOTHING_MARKED = "no question in this quiz is marked automatically (only essays and descriptions): nobody could pass it"


def parse_quiz(path: str, text: str) -> QuizSpec:
    """Parse a ``.md`` or ``.gift`` module quiz; raises ContentError for anything else.

    A module quiz decides whether a learner passes, so it needs a question the platform marks.
    """
    if "\x00" in text:  # as for lessons: no database text column can hold it
        raise ContentError.at(path, text[:text.index("\x00")].count("\n") + 1, "the file contains a NUL character")
    parser = PARSERS.get(PurePath(path).suffix.lower())
    if parser is None:
        raise ContentError.at(path, 1, "a quiz file must end in .md or .gift")
    quiz = parser(path, text)
    if not any(question_type(q.type).auto_graded for q in quiz.questions):
        raise ContentError.at(path, quiz.questions[0].line, NOTHING_MARKED)
    return quiz
