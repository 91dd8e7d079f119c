"""Huge or malformed fields on a posted answer sheet read as no answer: never an exception (a 500 on the page)."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from lms.questions.types import TYPES, is_empty, question_type
from lms.questions.types.base import index_of, shown_to_file
from lms.questions.types.unmarked import MAX_ESSAY

from .test_question_types import SAMPLES, UNMARKED, shown

MALFORMED = ["1" * 4301, "9" * 5000, "²", "٣", "-1", "1e3", "0x1", "", "\x00", "7" * 7]


@pytest.mark.parametrize("raw", MALFORMED)
def test_a_malformed_place_on_the_page_is_no_option(raw):
    assert shown_to_file([0, 1, 2], raw) is None


def test_a_place_on_the_page_within_the_list_is_read():
    assert shown_to_file([2, 0, 1], "0") == "2" and shown_to_file([2, 0, 1], " 1 ") == "0"
    assert index_of("1" * 4301, 10) is None and index_of("3", 10) == 3


@pytest.mark.parametrize("name", sorted(TYPES))
@pytest.mark.parametrize("raw", MALFORMED)
def test_every_type_reads_a_malformed_field_as_no_answer_or_a_short_one(name, raw):
    question = (SAMPLES.get(name) or UNMARKED[name])[0]
    fields = [f"q0-{i}" for i in range(4)] + ["q0"]
    form = MultiDict([(field, raw) for field in fields])
    kind = question_type(name)
    response = kind.read(shown(question), "q0", form)
    kind.grade(question, response)  # grading what was read never raises either
    assert is_empty(response) or len(str(response)) <= (MAX_ESSAY if name == "essay" else 500)
