"""Small helpers shared by the quiz tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from lms.documents.errors import ContentError
from lms.questions.gift import parse_gift
from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.model import QuestionSpec, QuizSpec

DATA = Path(__file__).resolve().parent.parent / "data" / "quiz-samples"
FRONT = "---\ntitle: Test quiz\n---\n"


def md(body: str) -> QuizSpec:
    """Parse a markdown quiz made of a minimal front matter and ``body``."""
    return parse_markdown_quiz("quiz.md", FRONT + body)


def md_question(body: str) -> QuestionSpec:
    """The only question of a markdown quiz with ``body``."""
    (question,) = md(body).questions
    return question


def gift_question(text: str) -> QuestionSpec:
    """The only question of a GIFT file holding ``text``."""
    (question,) = parse_gift("quiz.gift", text).questions
    return question


def problems(parser, text: str, path: str = "quiz.md") -> list[tuple[int, str]]:
    """The (line, message) pairs of the ContentError ``parser`` must raise for ``text``."""
    with pytest.raises(ContentError) as caught:
        parser(path, text)
    return [(p.line, p.message) for p in caught.value.problems]


def md_problems(body: str) -> list[tuple[int, str]]:
    """Problems for a markdown quiz whose body starts on line 4 (after FRONT)."""
    return problems(parse_markdown_quiz, FRONT + body)


def gift_problems(text: str) -> list[tuple[int, str]]:
    """Problems for a GIFT file."""
    return problems(parse_gift, text, "quiz.gift")
