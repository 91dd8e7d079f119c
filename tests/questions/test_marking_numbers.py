"""Numbers and ratios learners type: number formats, readings asked back, huge input (learner_numbers.py)."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from lms.questions.gift import parse_gift
from lms.questions.grading import grade
from lms.questions.learner_numbers import number_problem, read_number, read_ratio
from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.types import question_type

from .helpers import gift_question, md_problems, md_question, problems

POINT, COMMA, SPACE = "1,234.5", "1.234,5", "1 234,5"


def with_format(number_format: str, body: str):
    """A markdown quiz with ``number_format`` in its front matter."""
    return parse_markdown_quiz("quiz.md", f'---\ntitle: T\nnumber_format: "{number_format}"\n---\n{body}')


@pytest.mark.parametrize("typed, point, comma, space", [
    ("3,200", 3200.0, 3.2, 3.2),
    ("3.200", 3.2, 3200.0, None),
    ("3 200", 3200.0, 3200.0, 3200.0),
    ("3\u202f200,5", None, 3200.5, 3200.5),  # a narrow no-break space groups thousands too
    ("1,234,567.25", 1234567.25, None, None),
    ("1.234.567,25", None, 1234567.25, None),
    ("3,5", None, 3.5, 3.5),
    ("3.5", 3.5, None, None),
    ("1,23", None, 1.23, 1.23),
    ("12,34,567", None, None, None),  # groups of two are no format's
    ("1,234 567", None, None, None),  # one separator throughout
    ("1,2345", None, 1.2345, 1.2345),
    ("-2,000", -2000.0, -2.0, -2.0),
    ("\u22125", -5.0, -5.0, -5.0),
    ("+ 7", 7.0, 7.0, 7.0),
    ("３，２００", 3200.0, 3.2, 3.2),  # full-width digits and comma (NFKC)
    ("٣٢٠٠", 3200.0, 3200.0, 3200.0),  # Arabic-Indic digits
    ("٣٫٥", 3.5, 3.5, 3.5),  # the Arabic decimal separator is unambiguous
    ("۱۲", 12.0, 12.0, 12.0),  # Persian and Urdu digits
    ("2e3", 2000.0, 2000.0, 2000.0),
    ("1e999", None, None, None), ("nan", None, None, None), ("1_000", None, None, None), ("", None, None, None),
])
def test_each_format_reads_only_its_own_separators(typed, point, comma, space):
    assert [read_number(typed, fmt) for fmt in (POINT, COMMA, SPACE)] == [point, comma, space]


@pytest.mark.parametrize("typed, fmt", [("3,5", POINT), ("1,23", POINT), ("3.5", COMMA), ("3.5", SPACE),
                                        ("3.200", SPACE), ("1,234.5", COMMA), ("1.234,5", POINT)])
def test_a_reading_that_depends_on_the_convention_is_asked_back(typed, fmt):
    message = number_problem(typed, fmt)
    assert message.startswith(f"“{typed}” could be read in two ways.") and fmt in message


@pytest.mark.parametrize("typed", ["3,200", "3.5", "", "   ", None, "1 234.5"])
def test_readable_or_empty_answers_are_not_asked_back(typed):
    assert number_problem(typed, POINT) is None


@pytest.mark.parametrize("typed", ["ten", "1.2.3", "--5", "5e", "1e999"])
def test_what_no_format_reads_is_called_not_a_number(typed):
    assert number_problem(typed, POINT) == (
        f"“{typed}” is not a number. This quiz writes numbers like 1,234.5 "
        "(a point before the decimals; commas or spaces between thousands).")


@pytest.mark.parametrize("size", [101, 4301, 5000, 100_000])
def test_huge_numbers_get_a_message_and_read_as_nothing(size):
    typed = "1" * size
    assert number_problem(typed, POINT) == f"This answer is {size:,} characters long; a number here has at most 100."
    assert read_number(typed) is None and read_ratio(typed) is None


def test_a_long_but_allowed_number_reads_without_error():
    assert read_number("9" * 100) == float("9" * 100)


@pytest.mark.parametrize("typed, value", [
    ("4.5:1", 4.5), ("4.5 : 1", 4.5), ("4.5 to 1", 4.5), ("4.5 TO 1", 4.5), ("9:2", 4.5), ("9\u22362", 4.5),
    ("4.5", 4.5), ("９：２", 4.5), ("3,200:1", 3200.0),
    ("1:0", None), ("4.5:1:1", None), (":1", None), ("4.5 to", None), ("four to one", None), ("4.5/1", None),
])
def test_ratios_read_as_the_number_a_over_b(typed, value):
    assert read_ratio(typed) == value


def test_ratio_questions_accept_equal_ratios_in_any_form():
    question = md_question("## Contrast ratio for body text?\nratio: true\n\nAnswer: 4.5\n")
    for typed in ("4.5:1", "4.5 to 1", "9:2", "18:4", "4.5"):
        assert grade(question, typed).correct, typed
    for typed in ("1:4.5", "4:1", "45:1"):
        assert not grade(question, typed).correct, typed


def test_ratio_questions_read_sides_in_the_quiz_format():
    (question,) = with_format(COMMA, "## Q\nratio: true\n\nAnswer: 4.5\n").questions
    assert grade(question, "4,5:1").correct
    assert not grade(question, "4.5:1").correct
    shown = {"spec": {"type": "numerical", "number_format": COMMA, "ratio": True}}

    def check(typed: str) -> str | None:
        return question_type("numerical").check(shown, "q0", MultiDict({"q0": typed}))
    assert "could be read in two ways" in check("4.5:1")
    assert "not a ratio we can read: write it like 4,5:1" in check("4,5:0")
    assert check("4,5:1") is None


def test_without_ratio_a_ratio_is_not_a_number():
    question = md_question("## Q\nAnswer: 4.5\n")
    assert not grade(question, "9:2").correct
    assert number_problem("9:2", POINT).startswith("“9:2” is not a number.")


@pytest.mark.parametrize("fmt, typed", [(POINT, "3,200"), (COMMA, "3.200"), (SPACE, "3 200")])
def test_number_format_from_front_matter_reaches_grading(fmt, typed):
    quiz = with_format(fmt, "## Q\nAnswer: 3200\n")
    assert quiz.questions[0].number_format == fmt
    assert grade(quiz.questions[0], typed).correct


def test_gift_quizzes_take_the_number_format_too():
    quiz = parse_gift("q.gift", f'---\nnumber_format: "{COMMA}"\n---\nQ {{#3200}}\n')
    assert grade(quiz.questions[0], "3.200").correct
    assert grade(gift_question("Q {#3200}"), "3,200").correct  # the default without front matter


@pytest.mark.parametrize("value", ["1234.5", "'1,234'", "", "'1 234.5'"])
def test_unknown_number_formats_name_their_line(value):
    text = f"---\ntitle: T\nnumber_format: {value}\n---\n## Q\nAnswer: 1\n"
    message = "'number_format' must be one of: \"1,234.5\", \"1.234,5\", \"1 234,5\" (how the quiz writes 1234.5)"
    assert problems(parse_markdown_quiz, text) == [(3, message)]


def test_a_number_format_that_is_not_text_is_reported_once():
    text = "---\ntitle: T\nnumber_format: [1]\n---\n## Q\nAnswer: 1\n"
    assert problems(parse_markdown_quiz, text) == [(3, "'number_format' must be text (put it in quotes)")]


def test_ratio_setting_is_checked():
    assert md_problems("## Q\nratio: maybe\n\nAnswer: 4.5\n") == [(5, "'ratio:' must be true or false, not 'maybe'")]
    assert md_problems("## Q\nratio: true\n\nAnswer: four\n") == [
        (5, "'ratio:' does not apply to short answer questions")]


def test_review_shows_a_ratio_as_the_author_means_it():
    question = md_question("## Q\nratio: true\n\nAnswer: 4.5\nAnswer: (50%) 3 ± 0.5\n")
    expected = question_type("numerical").expected(question, str)
    assert [str(line) for line in expected] == ["4.5:1", "3 ± 0.5, as a ratio to 1 (50%)"]
