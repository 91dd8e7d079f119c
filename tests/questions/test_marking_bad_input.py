"""Posted fields no real answer sheet sends: huge indexes and options the page never offered."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from lms.questions.serialize import question_to_dict
from lms.questions.types import question_type
from lms.questions.types.base import NOT_OFFERED, index_of, shown_to_file

from .helpers import md_question

HUGE = "1" * 4301  # one digit more than int() reads


@pytest.mark.parametrize("raw", [HUGE, "1" * 10, "²", "١", "-1", "1.0", ""])
def test_indexes_that_are_not_small_plain_digits_are_no_answer(raw):
    assert shown_to_file([0, 1], raw) is None
    assert index_of(raw, 3) is None


def test_small_indexes_still_map_to_the_file_order():
    assert shown_to_file([2, 0, 1], "0") == "2" and index_of(" 2 ", 3) == 2


def stored(body: str, options: list[int], rights: list[int] | None = None) -> dict:
    """A question as an attempt stores it, with the order its options were shown in."""
    return {"spec": question_to_dict(md_question(body)), "html": {}, "options": options, "rights": rights or []}


SINGLE = stored("## Q\n- [x] a\n- [ ] b\n", [1, 0])
MULTIPLE = stored("## Q\n- [x] a\n- [x] b\n- [ ] c\n", [2, 0, 1])
TRUE_FALSE = stored("## Q\n- [x] True\n- [ ] False\n", [])
MATCHING = stored("## Q\n- a -> 1\n- b -> 2\n", [], [1, 0])


@pytest.mark.parametrize("shown, fields, message", [
    (SINGLE, {"q0": "1"}, None), (SINGLE, {}, None), (SINGLE, {"q0": ""}, None),
    (SINGLE, {"q0": "2"}, NOT_OFFERED), (SINGLE, {"q0": HUGE}, NOT_OFFERED), (SINGLE, {"q0": "b"}, NOT_OFFERED),
    (MULTIPLE, {"q0": ["0", "2"]}, None), (MULTIPLE, {"q0": ["0", "3"]}, NOT_OFFERED),
    (TRUE_FALSE, {"q0": "false"}, None), (TRUE_FALSE, {"q0": "maybe"}, NOT_OFFERED),
    (MATCHING, {"q0-0": "1", "q0-1": ""}, None), (MATCHING, {"q0-0": "1", "q0-1": "5"}, NOT_OFFERED),
])
def test_answers_outside_the_options_are_asked_back(shown, fields, message):
    kind = question_type(shown["spec"]["type"])
    assert kind.check(shown, "q0", MultiDict(fields)) == message


@pytest.mark.parametrize("size, asked", [(500, False), (501, True), (100_000, True)])
def test_a_short_answer_longer_than_the_field_is_asked_back(size, asked):
    shown = stored("## Q\nAnswer: x\n", [])
    message = question_type("short_answer").check(shown, "q0", MultiDict({"q0": "x" * size}))
    assert (message == f"This answer is {size:,} characters long; please keep it to 500 at most.") is asked
    assert (message is None) is not asked
