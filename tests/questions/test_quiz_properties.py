"""Whatever text they get, both parsers return a QuizSpec or raise ContentError with real lines."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lms.documents.errors import ContentError
from lms.questions.gift import parse_gift
from lms.questions.grading import grade
from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.model import QuizSpec

from .helpers import DATA

VALID = [(DATA / name).read_text() for name in ("content-planning.md", "content-planning.gift")]
# Pieces of both syntaxes, so mutations reach deep into the parsers rather than failing early.
PIECES = [
    "{", "}", "=", "~", "#", "####", "%", "%50%", "%-100%", ":", "::", "->", "→", "..", "±", "+/-",
    "\\", "\\n", "\\{", "\n", "\n\n", "---\n", "## ", "##", "- [x] ", "- [ ] ", "(50%) ", "(-50%) ",
    "  > ", "Answer: ", "Feedback: ", "type: numerical\n", "type: true_false\n", "key: q1\n",
    "points: 2\n", "```\n", "T", "FALSE", "1e999", "2020-02-30", "[plain]", "[html]", "//", "$CATEGORY: x",
    "\ue000", "\ufeff", "\r\n", "|", "true", "False",
]
PARSERS = (parse_markdown_quiz, parse_gift)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def mutated(draw):
    """A valid quiz file with a few pieces inserted, deleted or swapped."""
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "random"]))
        if action == "insert":
            text = text[:at] + draw(st.sampled_from(PIECES)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        else:
            text = text[:at] + draw(st.text(max_size=5)) + text[at:]
    return text


def _parse_safely(parser, text: str) -> None:
    try:
        quiz = parser("quizzes/course/module.x", text)
    except ContentError as error:
        assert error.problems, "a ContentError must say what is wrong"
        assert all(problem.line >= 1 for problem in error.problems)
        return
    assert isinstance(quiz, QuizSpec) and quiz.questions
    for question in quiz.questions:
        # A parsed question must also be gradable without surprises.
        assert grade(question, None).points == 0.0


@SETTINGS
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=60).map("".join))
def test_arbitrary_text_never_breaks_a_parser(text):
    for parser in PARSERS:
        _parse_safely(parser, text)


@SETTINGS
@given(mutated())
def test_mutated_valid_files_never_break_a_parser(text):
    for parser in PARSERS:
        _parse_safely(parser, text)
