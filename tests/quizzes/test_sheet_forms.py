"""Reading a posted answer sheet, without an app: which fields count, and which questions are unanswered."""
from werkzeug.datastructures import MultiDict

from lms.questions.serialize import question_to_dict
from lms.quizzes.forms import MAX_POSTED, MAX_SHEET_FIELDS, answered_count, read_responses, sheet_fields, unanswered
from tests.questions.helpers import md_question

QUESTIONS = [
    {"spec": question_to_dict(md_question("## Pick\nkey: pick\n- [x] a\n- [ ] b\n")), "html": {}, "options": [1, 0],
     "rights": []},
    {"spec": question_to_dict(md_question("## Type\nkey: type\nAnswer: alt text\n")), "html": {}, "options": [],
     "rights": []},
    {"spec": question_to_dict(md_question("## Match\nkey: match\n- A -> 1\n- B -> 2\n")), "html": {}, "options": [],
     "rights": [1, 0]},
]


def test_only_answer_fields_are_kept_and_each_is_cut_short():
    form = MultiDict([("csrf_token", "t"), ("submit", "Submit"), ("confirm", "yes"), ("q0", "1"),
                      ("q1", "x" * (MAX_POSTED + 9)), ("q2-1", "0"), ("q2-1", "1"), ("qq", "1"), ("q12345", "1"),
                      ("q1-", "1")])
    kept = sheet_fields(form)
    assert list(kept.items(multi=True)) == [("q0", "1"), ("q1", "x" * MAX_POSTED), ("q2-1", "0"),
                                            ("q2-1", "1")]


def test_a_flood_of_fields_is_capped():
    kept = sheet_fields(MultiDict([("q0", str(n)) for n in range(MAX_SHEET_FIELDS + 10)]))
    assert len(kept.getlist("q0")) == MAX_SHEET_FIELDS


def test_unanswered_lists_positions_and_counts_partly_matched_as_answered():
    form = MultiDict([("q1", "   "), ("q2-0", "1")])
    responses = read_responses(QUESTIONS, form)
    assert unanswered(QUESTIONS, responses) == [0, 1]  # blank typing is no answer; one match of two is an answer
    assert answered_count(QUESTIONS, form) == 1
    assert answered_count(QUESTIONS, MultiDict()) == 0
    assert answered_count(QUESTIONS, MultiDict([("q0", "0"), ("q1", "alt"), ("q2-1", "0")])) == 3
