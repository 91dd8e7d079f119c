"""Properties of marking typed answers: harmless variations of a right answer score, wrong answers don't."""
from __future__ import annotations

import re
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from lms.questions.grading import grade
from lms.questions.learner_numbers import NUMBER_FORMATS, number_problem, read_number
from lms.questions.model import NumberAnswer, QuestionSpec, TextAnswer
from lms.questions.text_match import fits

SETTINGS = settings(max_examples=200, deadline=None)
LETTERS = "abcdefghijklmnopqrstuvwxyzéüçñ" + "ابتثجحخدرسشصعفقكلمنهوي" + "پچژگکیے"
ARTICLES = ("a", "an", "the")
SPACES = [" ", "  ", "\t", "\u00a0", " \u202f"]
EDGE_PUNCTUATION = [".", "!", "?", ",", "“", "”", '"', "(", ")", "…", "؟", "۔", "«", "»"]

words = st.lists(st.text(LETTERS, min_size=1, max_size=8), min_size=1, max_size=4).filter(
    lambda ws: ws[0] not in ARTICLES)


def short_answer(key: str) -> QuestionSpec:
    return QuestionSpec(key="q", type="short_answer", prompt="Q", texts=(TextAnswer(key),))


def full_width(char: str) -> str:
    """The full-width form of a visible ASCII character, which NFKC maps back to it."""
    return chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


@st.composite
def harmless_variant(draw, key_words: list[str]) -> str:
    """``key_words`` as a learner might type them: case, spacing, punctuation, an article, full-width letters."""
    def vary(word: str) -> str:
        out = []
        for char in word:
            change = draw(st.sampled_from(["same", "upper", "wide"]))
            out.append(char.upper() if change == "upper" else full_width(char) if change == "wide" else char)
        return "".join(out)
    typed = "".join(vary(word) + (draw(st.sampled_from(SPACES)) if i < len(key_words) - 1 else "")
                    for i, word in enumerate(key_words))
    article = draw(st.sampled_from(["", "a ", "An ", "THE ", "the  "]))
    before = "".join(draw(st.lists(st.sampled_from(EDGE_PUNCTUATION + SPACES), max_size=3)))
    after = "".join(draw(st.lists(st.sampled_from(EDGE_PUNCTUATION + SPACES), max_size=3)))
    return before + article + typed + after


@SETTINGS
@given(st.data(), words)
def test_harmless_variations_of_a_right_short_answer_score(data, key_words):
    typed = data.draw(harmless_variant(key_words))
    assert grade(short_answer(" ".join(key_words)), typed).correct


@SETTINGS
@given(st.data(), words)
def test_a_decomposed_or_composed_spelling_scores(data, key_words):
    key = " ".join(key_words)
    form = data.draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
    assert grade(short_answer(key), unicodedata.normalize(form, key)).correct


@SETTINGS
@given(st.data(), words)
def test_changing_one_letter_makes_a_short_answer_wrong(data, key_words):
    key = " ".join(key_words)
    position = data.draw(st.sampled_from([i for i, char in enumerate(key) if char != " "]))
    other = data.draw(st.sampled_from(LETTERS).filter(lambda c: c.casefold() != key[position].casefold()))
    typed = key[:position] + other + key[position + 1:]
    assert grade(short_answer(key), typed).fraction == 0.0


@SETTINGS
@given(st.data(), words)
def test_an_extra_or_missing_word_makes_a_short_answer_wrong(data, key_words):
    extra = data.draw(st.text(LETTERS, min_size=1, max_size=5))
    key = " ".join(key_words)
    assert not grade(short_answer(key), f"{key} {extra}").correct
    if len(key_words) > 1:
        assert not grade(short_answer(key), " ".join(key_words[1:])).correct


def group(digits: str, separator: str) -> str:
    """``1234567`` as ``1,234,567`` with ``separator``."""
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@st.composite
def typed_number(draw, number_format: str) -> tuple[str, float]:
    """A number as a learner may type it under ``number_format``, and its value."""
    fmt = NUMBER_FORMATS[number_format]
    whole = str(draw(st.integers(0, 10**12)))
    decimals = draw(st.text("0123456789", max_size=4))
    separator = draw(st.sampled_from(["", *fmt.grouping.replace(" ", ""), " ", "\u00a0", "\u202f"]))
    text = group(whole, separator) if separator else whole
    if decimals:
        text += fmt.decimal + decimals
    sign = draw(st.sampled_from(["", "-", "\u2212", "+"]))
    if draw(st.booleans()):
        text = "".join(full_width(c) for c in text)
    value = float(f"{whole}.{decimals or '0'}") * (-1 if sign in ("-", "\u2212") else 1)
    return draw(st.sampled_from(["", " "])) + sign + text + draw(st.sampled_from(["", " "])), value


def numerical(value: float, number_format: str) -> QuestionSpec:
    answer = NumberAnswer(value, value, value=value)
    return QuestionSpec(key="q", type="numerical", prompt="Q", numbers=(answer,), number_format=number_format)


@SETTINGS
@given(st.data(), st.sampled_from(list(NUMBER_FORMATS)))
def test_numbers_written_in_the_quiz_format_read_and_score(data, number_format):
    typed, value = data.draw(typed_number(number_format))
    assert read_number(typed, number_format) == value
    assert number_problem(typed, number_format) is None
    assert grade(numerical(value, number_format), typed).correct


@SETTINGS
@given(st.data(), st.sampled_from(list(NUMBER_FORMATS)), st.floats(1e-6, 1000))
def test_numbers_away_from_the_answer_do_not_score(data, number_format, gap):
    typed, value = data.draw(typed_number(number_format))
    # Grading forgives a relative 1e-9 for floating-point noise, so the gap is relative too.
    assert not grade(numerical(value + gap * max(1.0, abs(value)), number_format), typed).correct


@SETTINGS
@given(st.text("0123456789,. \u2009-", max_size=14), st.sampled_from(list(NUMBER_FORMATS)))
def test_every_answer_is_read_by_the_quiz_format_or_asked_back(typed, number_format):
    problem = number_problem(typed, number_format)
    read = read_number(typed, number_format)
    if not typed.strip():
        assert problem is None
    else:
        assert (read is None) == (problem is not None)
    others = [read_number(typed, other) for other in NUMBER_FORMATS if other != number_format]
    if read is None and any(value is not None for value in others):
        assert "could be read in two ways" in problem


@SETTINGS
@given(st.integers(1, 999), st.integers(1, 999), st.integers(1, 50), st.sampled_from([":", " : ", " to ", "\u2236"]))
def test_equal_ratios_score_in_any_written_form(first, second, factor, joiner):
    assume(first * factor < 10**6)
    question = QuestionSpec(key="q", type="numerical", prompt="Q", ratio=True,
                            numbers=(NumberAnswer(first / second, first / second, value=first / second),))
    assert grade(question, f"{first * factor}{joiner}{second * factor}").correct
    assert not grade(question, f"{first * factor + 1}{joiner}{second * factor}").correct


@SETTINGS
@given(st.lists(st.text("ab", max_size=3), min_size=1, max_size=4), st.text("ab", max_size=8))
def test_wildcard_search_agrees_with_a_regular_expression(pieces, text):
    expected = re.fullmatch(".*".join(re.escape(piece) for piece in pieces), text, re.DOTALL) is not None
    assert fits(text, pieces) is expected


@SETTINGS
@given(st.data(), words)
def test_a_stretch_of_the_answer_replaced_by_a_star_still_matches(data, key_words):
    key = " ".join(key_words)
    start = data.draw(st.integers(0, len(key)))
    end = data.draw(st.integers(start, len(key)))
    assert grade(short_answer(key[:start] + "*" + key[end:]), data.draw(harmless_variant(key_words))).correct
