"""Short answers: normalising, articles, exact matching and wildcards (lms/questions/text_match.py)."""
from __future__ import annotations

import time

import pytest

from lms.questions.grading import grade
from lms.questions.text_match import EXACT, KEEP_ARTICLES, LENIENT, matches, normalise_answer

from .helpers import gift_question, md_problems, md_question

HOLDING = md_question("## Q\nAnswer: holding statement\n")


@pytest.mark.parametrize("typed", [
    "holding statement", "Holding Statement", "HOLDING STATEMENT", "a holding statement", "the holding statement",
    "An holding statement", "holding statement.", "“holding statement”", "  holding   statement!? ",
    "(holding statement)", "holding\u00a0statement", "ｈｏｌｄｉｎｇ ｓｔａｔｅｍｅｎｔ",
])
def test_harmless_variations_of_a_short_answer_score(typed):
    assert grade(HOLDING, typed).correct


@pytest.mark.parametrize("typed", [
    "holding statements", "holdingstatement", "holding-statement", "statement", "another holding statement",
    "the", "...", "a", "holding statement, no",
])
def test_different_words_do_not_score(typed):
    assert grade(HOLDING, typed).fraction == 0.0


@pytest.mark.parametrize("typed, expected", [
    ("  The  Press  Line. ", "press line"),
    ("the", "the"),  # an article alone is the answer, not a prefix
    ("theory", "theory"),  # only whole words are articles
    ("Straße", "strasse"),  # case folding, not lowering
    ("\ufb01le", "file"),  # the ligature fi is the letters f and i (NFKC)
    ("٣ شعبان", "٣ شعبان"),
    ("\u201cok\u201d\u061f", "ok"),  # the Arabic question mark is punctuation too
])
def test_normalised_form(typed, expected):
    assert normalise_answer(typed) == expected


def test_arabic_presentation_forms_compare_with_plain_letters():
    # U+FEDB U+FE98 U+FE8E U+FE8F are presentation forms of كتاب ("book"); NFKC maps them to the letters.
    question = md_question("## Q\nAnswer: كتاب\n")
    assert grade(question, "\ufedb\ufe98\ufe8e\ufe8f").correct
    assert not grade(question, "كتب").correct


def test_urdu_answer_with_full_stop_and_spacing_scores():
    question = md_question("## Q\nAnswer: پریس ریلیز\n")
    assert grade(question, " پریس  ریلیز۔ ").correct


def test_keep_articles_makes_a_leading_article_count():
    question = md_question("## Q\nmatch: keep articles\n\nAnswer: The Hague\n")
    assert grade(question, "the hague.").correct
    assert not grade(question, "Hague").correct
    assert not matches("hague", "The Hague", KEEP_ARTICLES)
    assert matches("hague", "The Hague", LENIENT)


def test_exact_matching_keeps_case_and_punctuation_but_not_surrounding_spaces():
    question = md_question("## Q\nmatch: exact\n\nAnswer: #DigitalDiplomacy\n")
    assert grade(question, "  #DigitalDiplomacy ").correct
    for typed in ("#digitaldiplomacy", "DigitalDiplomacy", "#DigitalDiplomacy.", "# DigitalDiplomacy"):
        assert not grade(question, typed).correct, typed


def test_exact_matching_still_treats_two_encodings_of_one_letter_alike():
    assert matches("Caf\u0065\u0301", "Caf\u00e9", EXACT)  # e + combining acute is é
    assert not matches("CAF\u00c9", "Caf\u00e9", EXACT)


@pytest.mark.parametrize("pattern, typed, right", [
    ("*statement", "a holding statement", True),
    ("*statement", "statement", True),  # a star may match nothing
    ("hold*statement", "Holding-statement.", True),
    ("hold*statement", "statement", False),
    ("*press*", "the press line", True),
    ("*press*", "pres", False),
    ("a*a", "a", False),  # the two pieces cannot overlap
    ("ab**cd", "abXXcd", True),  # a run of stars is one wildcard
    ("5\\*", "5*", True),  # \* is a literal star
    ("5\\*", "55", False),
    ("5\\*", "5", True),  # ... and like any punctuation it is ignored at the end of the answer
    ("*", "anything at all", True),
])
def test_wildcards_follow_moodle(pattern, typed, right):
    assert matches(typed, pattern) is right


def test_literal_star_counts_inside_an_exact_answer():
    assert matches("5*3", "5\\*3", EXACT)
    assert not matches("5x3", "5\\*3", EXACT)


def test_wildcard_answers_come_from_the_markdown_format():
    question = md_question("## Q\nAnswer: *statement | *line\nAnswer: (50%) press*\n")
    assert grade(question, "holding statement").fraction == 1.0
    assert grade(question, "press line").fraction == 1.0  # the best of several matches
    assert grade(question, "press release").fraction == 0.5


def test_many_wildcards_on_a_long_answer_stay_fast():
    pattern = "a*" * 30 + "b"
    started = time.perf_counter()
    assert not matches("a" * 500, pattern)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("setting, message", [
    ("match: loose", "'match:' must be one of: lenient, keep articles, exact, not 'loose'"),
    ("match:", "'match:' must be one of: lenient, keep articles, exact, not ''"),
])
def test_bad_match_settings_name_their_line(setting, message):
    assert md_problems(f"## Q\n{setting}\n\nAnswer: x\n") == [(5, message)]


def test_match_is_refused_on_a_numerical_question():
    assert md_problems("## Q\nmatch: exact\n\nAnswer: 42\n") == [
        (5, "'match:' does not apply to numerical questions")]


def test_gift_short_answers_use_the_same_wildcards_and_escaped_stars():
    question = gift_question("Which rating? {=5\\* =hold*ing}")
    assert grade(question, "5*").correct and grade(question, "Holding").correct and grade(question, "holdXing").correct
    assert not grade(question, "55").correct
