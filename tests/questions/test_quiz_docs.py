"""The examples in docs/quizzes.md parse, so the authoring guide cannot drift from the parsers."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lms.questions.gift import parse_gift
from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.types import TYPES

from .helpers import md

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "quizzes.md").read_text()
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```$", GUIDE, flags=re.MULTILINE | re.DOTALL)
MARKDOWN = [body for lang, body in BLOCKS if lang == "markdown"]
GIFT = [body for lang, body in BLOCKS if lang == "gift"]


def parse_example(body: str):
    """A markdown example: a whole file when it shows its own front matter, else questions alone."""
    return parse_markdown_quiz("guide.md", body) if body.startswith("---\n") else md(body)


def test_the_guide_has_examples_of_every_type_in_both_formats():
    markdown_types = {parse_example(body).questions[0].type for body in MARKDOWN}
    gift_types = {q.type for body in GIFT for q in parse_gift("guide.gift", body).questions}
    assert markdown_types == set(TYPES)
    assert gift_types == set(TYPES)


@pytest.mark.parametrize("body", MARKDOWN)
def test_markdown_examples_parse(body):
    assert parse_example(body).questions


@pytest.mark.parametrize("body", GIFT)
def test_gift_examples_parse(body):
    assert parse_gift("guide.gift", body).questions
