"""The GIFT format: Moodle's syntax, escapes, text formats, settings and errors."""
from __future__ import annotations

import pytest

from lms.questions.gift import parse_gift
from lms.questions.model import MULTIPLE, NUMERICAL, SHORT_ANSWER, SINGLE, TRUE_FALSE, Choice, NumberAnswer

from .helpers import gift_problems, gift_question


def test_comments_categories_and_blank_lines_separate_questions():
    quiz = parse_gift("q.gift", "// intro\n$CATEGORY: a/b\n\n::one::A {=x ~y}\n// between\n\n\n::two::B {T}\n")
    assert [(q.key, q.line) for q in quiz.questions] == [("one", 4), ("two", 8)]


def test_comment_inside_a_question_does_not_split_it():
    question = gift_question("Which?\n// the options\n{=x ~y}")
    assert (question.prompt, len(question.choices)) == ("Which?", 2)


def test_title_is_the_key_with_spaces_collapsed():
    assert gift_question("::  Grant's   tomb ::Who? {=a ~b}").key == "Grant's tomb"


def test_defaults_without_front_matter_take_the_title_from_the_file_name():
    quiz = parse_gift("quizzes/digital-diplomacy/content_planning.gift", "Q {T}")
    assert (quiz.title, quiz.pass_mark, quiz.max_attempts, quiz.shuffle_questions) == (
        "Content planning", 80, None, False)


def test_front_matter_gives_settings_and_keeps_line_numbers():
    quiz = parse_gift("q.gift", "---\ntitle: Mine\nattempts: 1\nshuffle: true\n---\n\nQ {T}")
    assert (quiz.title, quiz.max_attempts, quiz.shuffle_options, quiz.questions[0].line) == ("Mine", 1, True, 7)


def test_escapes_become_their_characters():
    question = gift_question(r"::a\:b::Use \{braces\}, \= and \~ and \# and a\: colon\nnew line {=x\=y ~z\~w}")
    assert question.key == "a:b"
    assert question.prompt == "Use {braces}, = and ~ and # and a: colon\nnew line"
    assert [c.text for c in question.choices] == ["x=y", "z~w"]


def test_escaped_backslash_does_not_escape_the_next_character():
    question = gift_question(r"Path C:\\ {=a\\ ~b}")
    assert question.prompt == "Path C:\\"
    assert question.choices[0].text == "a\\"


def test_other_backslashes_stay_for_markdown():
    assert gift_question(r"Not \*bold\* {T}").prompt == r"Not \*bold\*"


@pytest.mark.parametrize("marker, expected", [
    ("", "<b>bold</b> *and* 2.5"),
    ("[moodle]", "<b>bold</b> *and* 2.5"),
    ("[markdown]", "<b>bold</b> *and* 2.5"),
    ("[html]", "<b>bold</b> *and* 2.5"),
    ("[plain]", "&lt;b\\>bold&lt;/b\\> \\*and\\* 2\\.5"),
])
def test_text_formats_become_markdown(marker, expected):
    assert gift_question(marker + "<b>bold</b> *and* 2.5 {T}").prompt == expected


def test_answers_inherit_the_question_format_unless_they_name_their_own():
    question = gift_question("[plain]Pick *one* {=a_b#[markdown]*yes* ~[html]<i>c</i>}")
    assert question.prompt == "Pick \\*one\\*"
    assert question.choices[0] == Choice("a\\_b", 100.0, "*yes*")
    assert question.choices[1].text == "<i>c</i>"


def test_short_answers_and_right_sides_are_never_escaped():
    assert gift_question("[plain]Pi? {=3.14}").texts[0].text == "3.14"
    assert gift_question("[plain]Match {=a -> x.y =b -> z}").pairs[0].right == "x.y"


def test_missing_word_puts_a_blank_where_the_braces_were():
    assert gift_question("Grant is {~buried =entombed ~living} in Grant's tomb.").prompt == \
        "Grant is _____ in Grant's tomb."
    assert gift_question("Answers at the end {=a ~b}  ").prompt == "Answers at the end"


@pytest.mark.parametrize("text, qtype", [
    ("Q {=a ~b ~c}", SINGLE),
    ("Q {=%100%a ~b}", SINGLE),
    ("Q {~%50%a ~%50%b ~c}", MULTIPLE),
    ("Q {=a =b ~c}", SINGLE),
    ("Q {=a ~%-50%b}", SINGLE),
    ("Q {~%50%a =b ~%-25%c}", SINGLE),
    ("Q {T}", TRUE_FALSE), ("Q {true}", TRUE_FALSE), ("Q {FALSE}", TRUE_FALSE),
    ("Q {=a =b}", SHORT_ANSWER),
    ("Q {#1}", NUMERICAL),
])
def test_type_detection(text, qtype):
    assert gift_question(text).type == qtype


def test_each_equals_answer_is_worth_full_credit_as_in_moodle():
    assert [c.weight for c in gift_question("Q {=a =b ~c}").choices] == [100.0, 100.0, 0.0]


@pytest.mark.parametrize("word, truth", [("T", True), ("TRUE", True), ("F", False), ("FALSE", False)])
def test_true_false_feedback_first_for_wrong_then_for_right(word, truth):
    question = gift_question(f"Q {{{word}#wrong#right}}")
    assert question.truth is truth
    assert (question.feedback_true, question.feedback_false) == (("right", "wrong") if truth else ("wrong", "right"))


@pytest.mark.parametrize("answers, expected", [
    ("#3.14:0.01", (3.13, 3.15, 100.0, "", 3.14)),
    ("#2", (2.0, 2.0, 100.0, "", 2.0)),
    ("#1..3#In range", (1.0, 3.0, 100.0, "In range", None)),
    ("#-5:1", (-6.0, -4.0, 100.0, "", -5.0)),
])
def test_numerical_forms(answers, expected):
    (number,) = gift_question("Q {" + answers + "}").numbers
    low, high, weight, feedback, value = expected
    assert number.low == pytest.approx(low) and number.high == pytest.approx(high)
    assert (number.weight, number.feedback, number.value) == (weight, feedback, value)


def test_several_weighted_numerical_answers():
    numbers = gift_question("Q {#=%100%2:0 =%50%1..3#close}").numbers
    assert numbers == (NumberAnswer(2.0, 2.0, 100.0, "", 2.0), NumberAnswer(1.0, 3.0, 50.0, "close"))


def test_general_feedback_after_four_hashes():
    assert gift_question("Q {=a ~b####See *chapter 2*.}").general_feedback == "See *chapter 2*."


def test_multi_line_answer_block_reports_lines_inside_it():
    text = "::k::Question\n{\n=a\n~%abc%b\n}"
    assert gift_problems(text) == [(4, "'abc%' is not a percentage (write it like 50% or -25%)")]


@pytest.mark.parametrize("text, expected", [
    ("::t Q {=a ~b}", [(1, "question title '::…' is not closed by '::'")]),
    ("Q\n{=a ~b", [(2, "'{' is not closed by '}' (write \\{ for a literal brace)")]),
    ("Q {=a {~b}", [(1, "'{' inside the answers must be written \\{")]),
    ("Q {=a ~b}\nmore {=c}", [(2, "a question can have only one answer block {…}")]),
    ("Q {\n=a\n\n~b}", [(1, "'{' is not closed by '}' (write \\{ for a literal brace)"),
                        (4, "'}' without '{': answers cannot contain blank lines")]),
    ("Q {#abc}", [(1, "numerical answer 'abc' is not a number (write 42, 42:0.5 or 40..45)")]),
    ("Q {#\n=1\n=%50%x..2}", [(3, "numerical answer 'x..2' is not a number (write 42, 42:0.5 or 40..45)")]),
    ("Q {#1:-1}", [(1, "tolerance '-1' must not be negative")]),
    ("Q {#1e999}", [(1, "'1e999' is too large a number")]),
    ("Q {#}", [(1, "a numerical question needs an answer after '#', like {#42:0.5}")]),
    ("Q {#=2 ~3#other}", [(1, "'~' in a numerical question takes only feedback for any other number: "
                               "write it '~#feedback'")]),
    ("Q {#=%50%2}", [(1, "no correct answer: at least one answer must be worth 100%")]),
    ("Q {=a -> b}", [(1, "a matching question needs at least two pairs, found 1")]),
    ("Q {=a -> b =c}", [(1, "each matching pair needs '->' between its two sides")]),
    ("Q {=a -> b =c -> d#why}", [(1, "matching pairs cannot have percentages or feedback")]),
    ("Q {~a ~b}", [(1, "no correct answer: mark at least one option as correct")]),
    ("Q {~%40%a ~%40%b ~c}", [(1, "the correct options add up to 80%: the percentages cannot reach 100%")]),
    ("Q {=%50%a =b ~c}", [(1, "'=' already means 100%: write '~%50%' for partial credit")]),
    ("Q {~%50a =b}", [(1, "a percentage goes between two % signs, like %50% or %-25%")]),
    ("Q {=a ~%-150%b}", [(1, "percentage -150% must be between -100% and 100%")]),
    ("Q {=a}\n\n{=b ~c}", [(3, "question has no prompt")]),
    ("Q {=a ~}", [(1, "an option has no text")]),
    ("Q {=only}\n\nQ {=one ~}", [(3, "an option has no text")]),
    ("Q {T#a#b#c}", [(1, "true/false takes at most two feedbacks: {T#shown if wrong#shown if right}")]),
    ("Q {=}", [(1, "a short answer is empty")]),
    ("Q {=a =%-10%b}", [(1, "short-answer answers cannot have negative percentages")]),
    ("// [id:k]\n::a::A {T}\n\n// [id:k]\n::b::B {F}", [(5, "duplicate question key 'k' (first used on line 2)")]),
    ("// [id:b]\n::a::A {T}\n\n::b::B {F}", [(4, "duplicate question key 'b' (first used on line 2)")]),
    ("// nothing\n", [(1, "the file has no questions")]),
    ("---\ntitle: X\nfoo: 1\n---\nQ {T}",
     [(3, "unknown key 'foo' (known keys: attempts, draw, number_format, pass_mark, reveal, shuffle, title)")]),
    ("---\nreveal: sometimes\n---\nQ {T}",
     [(2, "'reveal' must be one of: after_each_attempt, once_passed, after_last_attempt")]),
])
def test_errors_carry_their_line(text, expected):
    assert gift_problems(text) == expected


def test_every_broken_question_is_reported():
    found = gift_problems("A {=}\n\nB {=ok ~fine}\n\nC }\n\nD {#x}")
    assert [line for line, _ in found] == [1, 5, 7]
