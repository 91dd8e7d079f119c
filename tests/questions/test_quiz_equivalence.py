"""Every question type written in markdown and in GIFT parses to the very same spec."""
from __future__ import annotations

from dataclasses import replace

import pytest

from lms.questions.gift import parse_gift
from lms.questions.markdown_format import parse_markdown_quiz
from lms.questions.model import (
    MATCHING,
    MULTIPLE,
    NUMERICAL,
    SHORT_ANSWER,
    SINGLE,
    TRUE_FALSE,
    Choice,
    NumberAnswer,
    Pair,
    TextAnswer,
)

from .helpers import DATA, gift_question, md_question

CASES = {
    SINGLE: (
        "## Grant is buried in Grant's tomb.\nkey: tomb\n\n"
        "- [ ] Yes\n  > Look again.\n- [x] No\n  > Right.\n- [ ] Nobody knows\n\n"
        "Feedback: He is *entombed*.\n",
        "::tomb::Grant is buried in Grant's tomb.{~Yes#Look again. =No#Right. ~Nobody knows####He is *entombed*.}",
    ),
    MULTIPLE: (
        "## Who is in Grant's tomb?\n\n"
        "- [ ] (-100%) No one\n- [x] (50%) Grant\n  > Yes.\n- [x] (50%) Grant's wife\n- [ ] (-100%) Grant's father\n",
        "Who is in Grant's tomb?{\n~%-100%No one\n~%50%Grant#Yes.\n~%50%Grant's wife\n~%-100%Grant's father\n}",
    ),
    TRUE_FALSE: (
        "## The sun rises in the west.\n\n- [ ] True\n  > No: east.\n- [x] False\n  > Correct.\n",
        "The sun rises in the west.{F#No\\: east.#Correct.}",
    ),
    SHORT_ANSWER: (
        "## Who's buried in Grant's tomb?\n\nAnswer: Grant | Ulysses S. Grant\nAnswer: (50%) Ulysses\n  > Only half.\n",
        "Who's buried in Grant's tomb?{=Grant =Ulysses S. Grant =%50%Ulysses#Only half.}",
    ),
    NUMERICAL: (
        "## When was Ulysses S. Grant born?\n\nAnswer: 1822 ± 0.5\n  > Exactly.\nAnswer: (50%) 1820..1824\n",
        "When was Ulysses S. Grant born?{#\n=1822:0.5#Exactly.\n=%50%1820..1824\n}",
    ),
    MATCHING: (
        "## Match the capitals.\n\n- Austria -> Vienna\n- France -> Paris\n",
        "Match the capitals.{=Austria -> Vienna =France -> Paris}",
    ),
}


@pytest.mark.parametrize("qtype", list(CASES))
def test_each_type_parses_to_the_same_spec_in_both_formats(qtype):
    markdown, gift = CASES[qtype]
    from_markdown = md_question(markdown)
    from_gift = gift_question(gift)
    assert from_markdown.type == qtype
    assert from_markdown == from_gift


def test_equivalent_specs_carry_the_expected_content():
    # Guards against both parsers agreeing on an empty or wrong spec.
    single = md_question(CASES[SINGLE][0])
    assert single.key == "tomb"
    assert single.choices[1] == Choice("No", 100.0, "Right.")
    assert single.general_feedback == "He is *entombed*."
    multiple = md_question(CASES[MULTIPLE][0])
    assert [c.weight for c in multiple.choices] == [-100.0, 50.0, 50.0, -100.0]
    true_false = md_question(CASES[TRUE_FALSE][0])
    assert (true_false.truth, true_false.feedback_true, true_false.feedback_false) == (False, "No: east.", "Correct.")
    short = md_question(CASES[SHORT_ANSWER][0])
    assert short.texts[2] == TextAnswer("Ulysses", 50.0, "Only half.")
    numerical = md_question(CASES[NUMERICAL][0])
    assert numerical.numbers[0] == NumberAnswer(1821.5, 1822.5, 100.0, "Exactly.", 1822.0)
    assert numerical.numbers[1] == NumberAnswer(1820.0, 1824.0, 50.0, "")
    assert md_question(CASES[MATCHING][0]).pairs == (Pair("Austria", "Vienna"), Pair("France", "Paris"))


def test_missing_word_gift_matches_markdown_with_a_blank():
    markdown = md_question("## The capital of France is _____ of course.\n\n- [x] Paris\n- [ ] Lyon\n")
    assert markdown == gift_question("The capital of France is {=Paris ~Lyon} of course.")


def test_line_is_ignored_by_equality_but_recorded():
    markdown = md_question("\n\n" + CASES[MATCHING][0])
    gift = gift_question(CASES[MATCHING][1])
    assert (markdown.line, gift.line) == (6, 1)
    assert markdown == gift


def test_untitled_questions_get_position_keys_in_both_formats():
    quiz = parse_gift("q.gift", "A {=a ~b}\n\n::named::B {=a ~b}\n\nC {=a ~b}")
    assert [q.key for q in quiz.questions] == ["q1", "named", "q3"]


def test_fixture_files_describe_the_same_quiz():
    markdown = parse_markdown_quiz("content-planning.md", (DATA / "content-planning.md").read_text())
    gift = parse_gift("content-planning.gift", (DATA / "content-planning.gift").read_text())
    assert [q.type for q in markdown.questions] == [SINGLE, MULTIPLE, TRUE_FALSE, SHORT_ANSWER, NUMERICAL, MATCHING]
    assert (markdown.title, markdown.pass_mark, markdown.max_attempts, markdown.reveal) == (
        "Content planning", 75, 3, "once_passed")
    assert {q.category for q in gift.questions} == {"digital-diplomacy"}  # markdown has no $CATEGORY
    assert markdown == replace(gift, questions=tuple(replace(q, category="") for q in gift.questions))
