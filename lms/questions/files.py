"""Pick the quiz parser from a file's extension."""
from __future__ import annotations

from pathlib import PurePath

from lms.documents.errors import ContentError

from .gift import parse_gift
from .markdown_format import parse_markdown_quiz
from .model import QuizSpec

PARSERS = {".md": parse_markdown_quiz, ".gift": parse_gift}


def parse_quiz(path: str, text: str) -> QuizSpec:
    """Parse a ``.md`` or ``.gift`` quiz file; raises ContentError for anything else."""
    if "\x00" in text:  # as for lessons: no database text column can hold it
        raise ContentError.at(path, text[:text.index("\x00")].count("\n") + 1, "the file contains a NUL character")
    parser = PARSERS.get(PurePath(path).suffix.lower())
    if parser is None:
        raise ContentError.at(path, 1, "a quiz file must end in .md or .gift")
    return parser(path, text)
