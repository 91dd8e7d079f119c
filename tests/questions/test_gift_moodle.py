"""GIFT constructs as Moodle's documentation and parser define them, each imported and graded as Moodle would.

Written from Moodle's GIFT documentation and the rules of question/format/gift/format.php: in a
choice question '=' is worth 100% and makes it single-answer, '~' is 0% unless weighted; a
single-answer question earns the chosen option's fraction, a multiple-answer one the sum of the
chosen fractions, never below 0.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from lms.documents.errors import ContentError
from lms.questions import parse_quiz
from lms.questions.gift import parse_gift
from lms.questions.gift_export import export_gift
from lms.questions.grading import grade, score_attempt
from lms.questions.model import DESCRIPTION, ESSAY, MULTIPLE, SHORT_ANSWER, SINGLE, Choice, QuizSpec
from lms.questions.types import question_type

from .helpers import DATA, gift_problems, gift_question

REPO_QUIZZES = Path(__file__).resolve().parents[2] / "quizzes"


def keys(text: str) -> list[str]:
    return [q.key for q in parse_gift("bank.gift", text).questions]


# --- weights on choice options -------------------------------------------------------------------

def test_partial_credit_on_a_wrong_option_beside_the_right_one():
    question = gift_question("Grant is {~buried#No. ~%50%entombed and buried#Half. =entombed#Yes.} in Grant's tomb.")
    assert question.type == SINGLE
    assert [c.weight for c in question.choices] == [0.0, 50.0, 100.0]
    assert grade(question, "1").fraction == 0.5 and grade(question, "1").feedback == ("Half.",)
    assert grade(question, "2").correct and grade(question, "0").fraction == 0


def test_several_partly_right_options_with_one_right_one():
    question = gift_question("Q {~%25%a ~%75%b =c ~d}")
    assert question.type == SINGLE
    assert [grade(question, str(i)).fraction for i in range(4)] == [0.25, 0.75, 1.0, 0.0]


def test_a_negative_option_in_a_single_answer_question_scores_zero_not_less():
    question = gift_question("Q {=a ~%-50%b}")
    assert question.choices[1] == Choice("b", -50.0)
    assert grade(question, "1").points == 0.0


def test_decimal_weights_add_up_to_full_marks():
    question = gift_question("Q {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")
    assert question.type == MULTIPLE
    assert grade(question, ["0", "1", "2"]).correct
    assert grade(question, ["0", "1"]).fraction == pytest.approx(0.6666666)


def test_multiple_answers_sum_the_chosen_weights_floored_at_zero():
    question = gift_question("Q {~%50%a ~%50%b ~%-100%c ~d}")
    assert grade(question, ["0", "2"]).fraction == 0.0
    assert grade(question, ["0", "1", "3"]).fraction == 1.0
    assert grade(question, ["1"]).fraction == 0.5


def test_every_equals_option_earns_full_marks():
    question = gift_question("Q {=a =b ~c}")
    assert grade(question, "0").correct and grade(question, "1").correct


def test_full_weight_written_on_equals_is_accepted():
    assert gift_question("Q {=%100%a ~b}").choices[0] == Choice("a", 100.0)


def test_a_partial_weight_on_equals_is_refused_with_its_line():
    assert gift_problems("Q {\n~a\n=%50%b\n}") == [(3, "'=' already means 100%: write '~%50%' for partial credit")]


# --- names, ids and keys -----------------------------------------------------------------------------

def test_unique_names_keep_their_keys_and_unnamed_questions_their_position():
    assert keys("::a::A {T}\n\n::b::B {F}\n\nC {T}") == ["a", "b", "q3"]


def test_duplicate_names_are_allowed_and_keyed_by_a_hash_of_their_text():
    quiz = parse_gift("bank.gift", "::dup::First {T}\n\n::dup::Second {F}\n\n::other::Third {T}")
    first, second, third = (q.key for q in quiz.questions)
    assert first.startswith("dup-") and second.startswith("dup-") and first != second
    assert third == "other"
    assert len(quiz.renamed) == 2
    assert quiz.renamed[0] == f"bank.gift:1: 'dup' is shared by 2 questions; this one has key '{first}'"


def test_hashed_keys_survive_insertions_and_edits_of_other_questions():
    before = keys("::dup::First {T}\n\n::dup::Second {F}")
    after = keys("::new::New {T}\n\n::dup::Second {F}\n\n::x::Edited {F}\n\n::dup::First {T}")
    assert set(before) <= set(after)


def test_identical_questions_with_the_same_name_are_numbered():
    first, second = keys("::dup::Same {T}\n\n::dup::Same {T}")
    assert second == first + "-2"


def test_moodle_id_line_gives_the_key():
    text = "// question: 12  name: dup\n// [id:Q-12]\n::dup::A {T}\n\n::dup::B {F}"
    assert keys(text) == ["Q-12", "dup"]


def test_an_id_separated_by_a_blank_line_belongs_to_no_question():
    assert keys("// [id:lost]\n\n::a::A {T}") == ["a"]


# --- categories -------------------------------------------------------------------------------------

def test_category_lines_apply_to_the_following_questions():
    text = "A {T}\n\n$CATEGORY: $course$/top/Crisis\n\nB {T}\n\nC {F}\n\n$CATEGORY: Pools/Two\nD {T}"
    assert [q.category for q in parse_gift("q.gift", text).questions] == [
        "", "$course$/top/Crisis", "$course$/top/Crisis", "Pools/Two"]


# --- text formats, escapes, general feedback -------------------------------------------------------------

def test_escapes_and_line_breaks_in_every_text():
    question = gift_question(r"::k\:1::Is 2\=2 \{really\}?\nSay so. {=yes\~sure#of course\#1 ~no####a\:b}")
    assert question.key == "k:1"
    assert question.prompt == "Is 2=2 {really}?\nSay so."
    assert question.choices[0] == Choice("yes~sure", 100.0, "of course#1")
    assert question.general_feedback == "a:b"


def test_html_text_is_kept_for_the_sanitiser_and_plain_text_is_escaped():
    question = gift_question("[html]<p onclick='x()'>Pick</p>{=[plain]<b>a</b> ~b}")
    assert question.prompt == "<p onclick='x()'>Pick</p>"
    assert question.choices[0].text == "&lt;b\\>a&lt;/b\\>"


def test_html_in_a_gift_question_is_sanitised_on_import():
    from lms.content.render import render_markdown

    html = render_markdown(gift_question("[html]<p onclick='x()'>Pick</p><script>alert(1)</script>{T}").prompt)
    assert "onclick" not in html and "<script" not in html and "Pick" in html


# --- numbers -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answers, typed, fraction", [
    ("#1..5", "5", 1.0), ("#1..5", "5.01", 0.0),
    ("#3:0.5", "2.5", 1.0), ("#3:0.5", "3.6", 0.0),
    ("#=%100%3:0 =%50%3:1", "3", 1.0), ("#=%100%3:0 =%50%3:1", "3.9", 0.5), ("#=%100%3:0 =%50%3:1", "4.1", 0.0),
    ("#=%100%3:0 =%33.5%1..10", "9", 0.335),
])
def test_numerical_ranges_tolerances_and_weighted_answers(answers, typed, fraction):
    assert grade(gift_question("Q {" + answers + "}"), typed).fraction == pytest.approx(fraction)


def test_matching_extra_answers_are_offered_and_never_right():
    question = gift_question("Match the account. {=Embassy -> verified =Staff -> personal = -> anonymous = -> bot}")
    assert [p.left for p in question.pairs] == ["Embassy", "Staff"] and question.distractors == ("anonymous", "bot")
    assert [text for _, text in question.right_options()] == ["verified", "personal", "anonymous", "bot"]
    assert grade(question, {"0": "0", "1": "1"}).correct
    chose_extra = grade(question, {"0": "0", "1": "3"})
    assert chose_extra.fraction == 0.5 and not chose_extra.correct
    assert question_type("matching").describe(question, {"0": "0", "1": "3"}) == "Embassy → verified; Staff → bot"
    assert parse_gift("bank.gift", export_gift(QuizSpec("Q", questions=(question,)))).questions == (question,)


def test_numerical_catch_all_feedback_for_any_other_number():
    question = gift_question("Q {#=5#Right. ~#Count again.}")
    assert grade(question, "5").feedback == ("Right.",)
    assert grade(question, "-1e300").feedback == ("Count again.",)
    assert grade(question, "7").fraction == 0.0


# --- short answers ---------------------------------------------------------------------------------------------

def test_wildcards_pass_through_short_answers_unchanged():
    question = gift_question("Q {=holding*statement =*crisis*#Close.}")
    assert question.type == SHORT_ANSWER
    assert [a.text for a in question.texts] == ["holding*statement", "*crisis*"]


def test_moodle_export_style_short_answers_with_full_weight_and_empty_feedback():
    question = gift_question("Q {\n\t=%100%Vienna#\n\t=%50%Austria#The country.\n}")
    assert [(a.text, a.weight, a.feedback) for a in question.texts] == [
        ("Vienna", 100.0, ""), ("Austria", 50.0, "The country.")]


def test_text_before_the_first_equals_is_a_short_answer():
    assert [a.text for a in gift_question("Q {Paris =Lyon}").texts] == ["Paris", "Lyon"]


# --- essays and descriptions ---------------------------------------------------------------------------------------

def test_empty_braces_make_an_essay_with_its_general_feedback():
    question = gift_question("::e::Explain the rule. {\n####A good answer names the article.\n}")
    assert (question.type, question.general_feedback, question.points) == (
        ESSAY, "A good answer names the article.", 1.0)


def test_text_without_braces_is_a_description_worth_nothing():
    question = gift_question("::intro::[markdown]**Case study.** The account was hacked.")
    assert (question.type, question.key, question.points) == (DESCRIPTION, "intro", 0.0)
    assert question.prompt == "**Case study.** The account was hacked."


def test_the_score_counts_only_automatically_marked_questions():
    quiz = parse_gift("q.gift", "Intro text.\n\n::e::Why? {}\n\n::t::True? {T}")
    score = score_attempt(QuizSpec("Q", pass_mark=100, questions=quiz.questions),
                          {"e": "Because.", "t": "true"})
    assert (score.points, score.max_points, score.percent, score.passed) == (1.0, 1.0, 100.0, True)
    assert score.results["e"].out_of == 0.0


# --- what Moodle refuses, with path and line ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Q {=a ~b", [(1, "'{' is not closed by '}' (write \\{ for a literal brace)")]),
    ("Q =a ~b}", [(1, "'}' without '{': answers cannot contain blank lines")]),
    ("Q {~a}", [(1, "a choice question needs at least two options"),
                (1, "no correct answer: mark at least one option as correct")]),
    ("Q {=a -> b}", [(1, "a matching question needs at least two pairs, found 1")]),
    ("Q {=a -> b =c}", [(1, "each matching pair needs '->' between its two sides")]),
    ("Q {=a -> b =c -> d = -> }", [(1, "a matching pair needs text on both sides of '->'")]),
    ("Q {#}", [(1, "a numerical question needs an answer after '#', like {#42:0.5}")]),
    ("Q {#=x}", [(1, "numerical answer 'x' is not a number (write 42, 42:0.5 or 40..45)")]),
])
def test_what_moodle_refuses_is_refused_with_its_line(text, expected):
    assert gift_problems(text) == expected


def test_a_broken_question_among_good_ones_imports_nothing():
    assert gift_problems("::a::A {T}\n\n::b::B {=x ~y\n\n::c::C {F}") == [
        (3, "'{' is not closed by '}' (write \\{ for a literal brace)")]


@pytest.mark.parametrize("path", sorted([*REPO_QUIZZES.rglob("*.gift"), *DATA.glob("*.gift")]), ids=lambda p: p.name)
def test_existing_gift_files_keep_their_keys(path):
    text = path.read_text()
    names = re.findall(r"^::(.+?)::", text, flags=re.MULTILINE)
    assert names and keys(text) == names


def test_a_module_quiz_of_essays_only_is_refused_as_nobody_could_pass_it():
    with pytest.raises(ContentError) as caught:
        parse_quiz("quizzes/c/m.gift", "// intro\n\nIntro text.\n\n::e::Why? {}\n")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (3, "no question in this quiz is marked automatically (only essays and descriptions): nobody could pass it")]
