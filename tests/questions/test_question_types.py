"""The question-type registry: every type answers every question the rest of the app asks of it.

Each type needs a sample below: a question, the form fields a learner posts to answer it rightly and
wrongly, and what the review and reports then show. A new type without one fails here.
"""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from lms.questions.grading import grade
from lms.questions.serialize import question_to_dict
from lms.questions.types import TYPES, QuestionType, is_empty, question_type

from .helpers import md_question

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def html(text: str) -> Markup:
    return escape(text)


def shown(question, options=None, rights=None) -> dict:
    """The question as an attempt stores it, in file order unless an order is given."""
    return {"spec": question_to_dict(question), "html": {},
            "options": options if options is not None else list(range(len(question.choices))),
            "rights": rights if rights is not None else list(range(len(question.right_options())))}


# type -> (question, fields answering rightly, fields answering wrongly, described right answer)
SAMPLES = {
    "single": (md_question("## Q\n- [x] Ottawa\n- [ ] Toronto\n"), {"q0": "0"}, {"q0": "1"}, "Ottawa"),
    "multiple": (md_question("## Q\n- [x] (50%) a\n- [x] (50%) b\n- [ ] (-50%) c\n"),
                 {"q0": ["0", "1"]}, {"q0": ["2"]}, "a + b"),
    "true_false": (md_question("## Q\n- [x] True\n- [ ] False\n"), {"q0": "true"}, {"q0": "false"}, "true"),
    "short_answer": (md_question("## Q\nAnswer: Vienna\n"), {"q0": " vienna "}, {"q0": "Paris"}, " vienna "),
    "numerical": (md_question("## Q\nAnswer: 10 ± 0.5\n"), {"q0": "10.2"}, {"q0": "12"}, "10.2"),
    "matching": (md_question("## Q\n- A -> 1\n- B -> 2\n"), {"q0-0": "0", "q0-1": "1"}, {"q0-0": "1", "q0-1": "0"},
                 "A → 1; B → 2"),
}


# Types the platform does not mark: type -> (question, fields a learner may post)
UNMARKED = {
    "essay": (md_question("## Why?\ntype: essay\n"), {"q0": "Because\r\nof <b>this</b>."}),
    "description": (md_question("## A case\ntype: description\n\nThe embassy's account was hacked."), {"q0": "x"}),
}


def post(fields: dict) -> MultiDict:
    return MultiDict([(name, value) for name, values in fields.items()
                      for value in (values if isinstance(values, list) else [values])])


def test_every_type_has_a_sample_and_the_registry_is_keyed_by_name():
    assert set(SAMPLES) | set(UNMARKED) == set(TYPES)
    assert not set(SAMPLES) & set(UNMARKED)
    for name, kind in TYPES.items():
        assert kind.name == name and kind.label


@pytest.mark.parametrize("name", sorted(TYPES))
def test_each_type_has_its_answer_sheet_partial(name):
    kind = TYPES[name]
    assert (TEMPLATES / kind.sheet_template).is_file()


def test_a_type_without_a_grader_or_right_answers_cannot_be_registered():
    class Unfinished(QuestionType):
        name, label = "unfinished", "unfinished"

    with pytest.raises(TypeError, match="abstract"):
        Unfinished()
    for method in ("grade", "expected", "gift_answers"):  # every type must be gradable, reviewable and exportable
        assert method in QuestionType.__abstractmethods__


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_read_then_grade_gives_full_and_no_marks(name):
    question, right, wrong, _ = SAMPLES[name]
    kind = question_type(name)
    assert question.type == name
    assert grade(question, kind.read(shown(question), "q0", post(right))).correct
    assert grade(question, kind.read(shown(question), "q0", post(wrong))).fraction == 0


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_an_empty_sheet_reads_as_no_answer_and_scores_zero(name):
    question, *_ = SAMPLES[name]
    response = question_type(name).read(shown(question), "q0", MultiDict())
    assert is_empty(response)
    assert grade(question, response).fraction == 0


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_review_and_reports_describe_the_answer(name):
    question, right, _, described = SAMPLES[name]
    kind = question_type(name)
    response = kind.read(shown(question), "q0", post(right))
    assert kind.describe(question, response) == described
    assert kind.given(question, response, html)
    assert kind.expected(question, html)
    assert kind.preview(question, html)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_answer_sheet_shows_no_weight_answer_or_feedback(name):
    question, *_ = SAMPLES[name]
    sheet = question_type(name).sheet(shown(question), {})
    assert not {"choices", "weight", "truth", "texts", "numbers", "pairs", "feedback"} & set(sheet)


@pytest.mark.parametrize("name", sorted(UNMARKED))
def test_unmarked_types_score_nothing_and_count_for_nothing(name):
    question, fields = UNMARKED[name]
    kind = question_type(name)
    result = grade(question, kind.read(shown(question), "q0", post(fields)))
    assert (result.points, result.out_of, result.correct) == (0.0, 0.0, False)
    assert not kind.auto_graded and not kind.needs_answers
    assert kind.expected(question, html) == [] and kind.preview(question, html)


def test_an_essay_keeps_its_text_bounded_and_the_review_shows_it_escaped():
    question, fields = UNMARKED["essay"]
    kind = question_type("essay")
    response = kind.read(shown(question), "q0", post(fields))
    assert response == "Because\nof <b>this</b>."
    assert kind.given(question, response, html) == [Markup("Because<br>of &lt;b&gt;this&lt;/b&gt;.")]
    assert len(kind.read(shown(question), "q0", post({"q0": "x" * 9000}))) == 5000
    assert kind.sheet(shown(question), {}) == {"max_length": 5000}


def test_a_description_reads_no_answer_and_is_worth_no_points():
    question, fields = UNMARKED["description"]
    assert question.points == 0
    assert question_type("description").read(shown(question), "q0", post(fields)) is None
    assert not question_type("description").answerable


def test_choices_are_read_by_their_place_on_the_page():
    question, *_ = SAMPLES["single"]
    reversed_page = shown(question, options=[1, 0])
    assert question_type("single").read(reversed_page, "q0", post({"q0": "1"})) == "0"
    assert question_type("single").read(reversed_page, "q0", post({"q0": "7"})) is None


def test_matching_is_read_through_the_shuffled_right_hand_order():
    question, *_ = SAMPLES["matching"]
    swapped = shown(question, rights=[1, 0])
    response = question_type("matching").read(swapped, "q0", post({"q0-0": "1", "q0-1": "0"}))
    assert grade(question, response).correct


def test_reports_describe_unreadable_answers_as_they_were_stored():
    single, *_ = SAMPLES["single"]
    matching, *_ = SAMPLES["matching"]
    assert question_type("single").describe(single, ["0", "9"]) == "Ottawa + 9"
    assert question_type("matching").describe(matching, "oops") == "oops"


def test_unknown_type_names_the_known_ones():
    with pytest.raises(KeyError, match="known: single, multiple"):
        question_type("poll")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_example_answers_for_demo_data_grade_as_they_claim(name):
    question, *_ = SAMPLES[name]
    kind = question_type(name)
    for right in (True, False):
        answer = kind.example_answer(question, right, random.Random(7))
        if answer is not None:
            assert grade(question, answer).correct is right
