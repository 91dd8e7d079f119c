"""Grading answers as an HTML form sends them, and scoring whole attempts."""
from __future__ import annotations

import pytest

from lms.questions.grading import Result, grade, score_attempt
from lms.questions.learner_numbers import read_number
from lms.questions.model import QuestionSpec

from .helpers import md, md_question

SINGLE_Q = md_question(
    "## Q\n- [x] right\n  > Well done.\n- [ ] wrong\n  > No.\nFeedback: Because.\n")
MULTI_Q = md_question(
    "## Q\n- [x] (50%) a\n  > a!\n- [x] (50%) b\n- [ ] (-50%) c\n  > c!\n- [ ] d\n")
TF_Q = md_question("## Q\n- [ ] True\n  > Not true.\n- [x] False\n  > Indeed.\n")
SHORT_Q = md_question("## Q\npoints: 2\nAnswer: Vienna | Wien\nAnswer: (50%) Austria\n  > Country.\n")
NUM_Q = md_question("## Q\nAnswer: 10 ± 0.5\n  > Spot on.\nAnswer: (50%) 5..20\n  > Near.\n")
MATCH_Q = md_question("## Q\n- A -> 1\n- B -> 2\n- C -> 3\n- D -> 3\n")


def test_single_choice_right_wrong_and_feedback_order():
    assert grade(SINGLE_Q, "0") == Result(1.0, 1.0, True, ("Well done.", "Because."), 1.0)
    assert grade(SINGLE_Q, "1") == Result(0.0, 0.0, False, ("No.", "Because."), 1.0)


@pytest.mark.parametrize("answer", [None, "", "2", "-1", "x", " 0x", True, 1.0, ["0"], {"0": "0"}, "٠"])
def test_single_choice_garbage_scores_zero(answer):
    assert grade(SINGLE_Q, answer) == Result(0.0, 0.0, False, ("Because.",), 1.0)


def test_single_choice_accepts_int_and_padded_index():
    assert grade(SINGLE_Q, 0).correct and grade(SINGLE_Q, " 0 ").correct


@pytest.mark.parametrize("picked, fraction", [
    (["0", "1"], 1.0),
    (["0"], 0.5),
    (["0", "2"], 0.0),
    (["0", "1", "2"], 0.5),
    (["0", "1", "3"], 1.0),
    (["2"], 0.0),  # -50% is floored at zero
    (["2", "3"], 0.0),
    (["0", "0", "0"], 0.5),  # repeats count once
    (["0", "junk", "9", None], 0.5),
    ([], 0.0),
    (None, 0.0),
    ("1", 0.5),  # a lone checkbox may arrive as a plain string
])
def test_multiple_choice_partial_credit(picked, fraction):
    result = grade(MULTI_Q, picked)
    assert result.fraction == pytest.approx(fraction)
    assert result.correct is (fraction == 1.0)


def test_multiple_choice_feedback_of_each_pick_in_file_order():
    assert grade(MULTI_Q, ["2", "0"]).feedback == ("a!", "c!")


def test_thirds_add_up_to_full_marks():
    question = md_question("## Q\n- [x] (33.33333%) a\n- [x] (33.33333%) b\n- [x] (33.33333%) c\n- [ ] d\n")
    assert grade(question, ["0", "1", "2"]).correct
    shared = md_question("## Q\n- [x] a\n- [x] b\n- [x] c\n")
    assert grade(shared, ["0", "1", "2"]).fraction == 1.0


@pytest.mark.parametrize("answer, fraction, feedback", [
    ("false", 1.0, ("Indeed.",)), (" FALSE ", 1.0, ("Indeed.",)), ("true", 0.0, ("Not true.",)),
    (None, 0.0, ()), ("yes", 0.0, ()), (False, 0.0, ()),
])
def test_true_false(answer, fraction, feedback):
    result = grade(TF_Q, answer)
    assert (result.fraction, result.feedback) == (fraction, feedback)


@pytest.mark.parametrize("answer, points", [
    ("Vienna", 2.0), ("  vIENNA \n", 2.0), ("wien", 2.0), ("austria", 1.0),
    ("Vien na", 0.0), ("Paris", 0.0), ("", 0.0), (None, 0.0), (42, 0.0),
])
def test_short_answer_ignores_case_and_surrounding_space(answer, points):
    assert grade(SHORT_Q, answer).points == points


def test_short_answer_collapses_inner_white_space_and_uses_best_match():
    question = md_question("## Q\nAnswer: (50%) New  York\n  > half\nAnswer: new york\n  > full\n")
    assert grade(question, "new\tyork").feedback == ("full",)
    assert grade(question, "new\tyork").fraction == 1.0


@pytest.mark.parametrize("typed, fraction", [
    ("10", 1.0), ("9.5", 1.0), ("10.5", 1.0),  # tolerance edges are inclusive
    ("9.4999", 0.5), ("10.5001", 0.5),
    ("5", 0.5), ("20", 0.5),  # range edges are inclusive
    ("4.999", 0.0), ("20.001", 0.0),
    (" 10.25 ", 1.0), ("+10", 1.0), ("\u221210", 0.0),
    (" 10,25 ", 0.0), ("1 0", 0.0),  # not numbers under the default format: the answer sheet asks them back
    ("1e1", 1.0), ("ten", 0.0), ("", 0.0), (None, 0.0), ("nan", 0.0), ("inf", 0.0),
    ("1e999", 0.0), ("1_0", 0.0), ("10.5.1", 0.0), (["10"], 0.0), ("9" * 200, 0.0),
])
def test_numerical_edges_and_lenient_reading(typed, fraction):
    assert grade(NUM_Q, typed).fraction == fraction


def test_numerical_floating_point_sums_still_count():
    question = md_question("## Q\nAnswer: 0.3 ± 0\n")
    assert grade(question, repr(0.1 + 0.2)).correct
    ranged = md_question("## Q\nAnswer: 0.1..0.3\n")
    assert grade(ranged, repr(0.1 + 0.2)).correct
    tolerance = md_question("## Q\nAnswer: 0.2 ± 0.1\n")
    assert grade(tolerance, repr(0.1 + 0.2)).correct and grade(tolerance, "0.1").correct


def test_numerical_feedback_of_the_best_matching_answer():
    assert grade(NUM_Q, "10").feedback == ("Spot on.",)
    assert grade(NUM_Q, "6").feedback == ("Near.",)


@pytest.mark.parametrize("answer, fraction", [
    ({"0": "0", "1": "1", "2": "2", "3": "3"}, 1.0),
    ({"0": "0", "1": "1", "2": "3", "3": "2"}, 1.0),  # C and D share the same right-hand text
    ({"0": "1", "1": "0", "2": "2", "3": "2"}, 0.5),
    ({"0": "0"}, 0.25),
    ({0: 0, 1: "1"}, 0.5),
    ({"0": "9", "x": "1", "1": None}, 0.0),
    ({}, 0.0), (None, 0.0), (["0"], 0.0), ("0", 0.0),
])
def test_matching_scores_the_share_of_right_pairs(answer, fraction):
    assert grade(MATCH_Q, answer).fraction == fraction


def test_matching_right_options_offer_shared_texts_once():
    assert MATCH_Q.right_options() == (("0", "1"), ("1", "2"), ("2", "3"))


def test_unknown_type_is_a_programming_error():
    with pytest.raises(KeyError, match="no question type 'poll'"):
        grade(QuestionSpec(key="k", type="poll", prompt="p"), "x")


QUIZ = md(
    "## One\npoints: 2\n- [x] a\n- [ ] b\n\n"
    "## Two\n- [x] (50%) a\n- [x] (50%) b\n- [ ] c\n\n"
    "## Three\nAnswer: 4\n"
)


def test_score_attempt_adds_points_and_applies_the_pass_mark():
    score = score_attempt(QUIZ, {"q1": "0", "q2": ["0"], "q3": "4"})
    assert (score.points, score.max_points, score.percent, score.passed) == (3.5, 4.0, 87.5, True)
    assert list(score.results) == ["q1", "q2", "q3"]
    assert score.results["q2"].fraction == 0.5


def test_score_attempt_failing_and_missing_answers():
    points, max_points, percent, passed, results = score_attempt(QUIZ, {"q2": ["0", "1"], "other": "x"})
    assert (points, max_points, percent, passed) == (1.0, 4.0, 25.0, False)
    assert results["q1"].points == 0.0


def test_score_attempt_pass_mark_is_inclusive():
    quiz = md("## A\n- [x] a\n- [ ] b\n## B\n- [x] a\n- [ ] b\n## C\n- [x] a\n- [ ] b\n## D\n- [x] a\n- [ ] b\n"
              "## E\n- [x] a\n- [ ] b\n")
    four_of_five = {f"q{i}": "0" for i in range(1, 5)}
    assert score_attempt(quiz, four_of_five).passed  # exactly 80%
    assert not score_attempt(quiz, {"q1": "0"}).passed


@pytest.mark.parametrize("answers", [None, "junk", [], {"q1": object()}])
def test_score_attempt_never_raises_on_garbage(answers):
    score = score_attempt(QUIZ, answers)
    assert (score.points, score.passed) == (0.0, False)


@pytest.mark.parametrize("typed, value", [
    ("\u22125", -5.0), ("3,5", None), ("1,500", 1500.0), ("\u00a012\u202f000 ", 12000.0), (".5", 0.5), ("5.", 5.0),
    ("1.2.3", None), ("--5", None), ("5e", None), (7, None),
])
def test_learner_numbers_follow_the_documented_rules(typed, value):
    assert read_number(typed) == value
