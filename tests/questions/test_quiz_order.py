"""Display order helpers: repeatable per seed, and matching never shown in file order."""
from __future__ import annotations

from dataclasses import replace

import pytest

from lms.documents.errors import ContentError
from lms.questions.files import parse_quiz
from lms.questions.order import option_order, question_order, right_option_order

from .helpers import md

BODY = "".join(f"## Q{i}\n- [x] a\n- [ ] b\n- [ ] c\n- [ ] d\n- [ ] e\n" for i in range(8))


def test_without_shuffle_everything_stays_in_file_order():
    quiz = md(BODY)
    assert question_order(quiz, "attempt-1") == tuple(range(8))
    assert option_order(quiz, quiz.questions[0], "attempt-1") == (0, 1, 2, 3, 4)


def test_shuffle_is_repeatable_per_seed_and_differs_between_seeds():
    quiz = replace(md(BODY), shuffle_questions=True, shuffle_options=True)
    first = question_order(quiz, 17)
    assert first == question_order(quiz, 17)
    assert sorted(first) == list(range(8))
    orders = {question_order(quiz, seed) for seed in range(20)}
    assert len(orders) > 1
    assert sorted(option_order(quiz, quiz.questions[0], 17)) == [0, 1, 2, 3, 4]


def test_matching_right_options_are_never_in_file_order():
    question = md("## M\n- a -> 1\n- b -> 2\n").questions[0]
    for seed in range(30):
        assert right_option_order(question, seed) == (1, 0)


def test_parse_quiz_picks_the_parser_from_the_extension():
    assert parse_quiz("x/y.gift", "Q {T}").questions[0].truth is True
    assert parse_quiz("x/y.MD", "---\ntitle: T\n---\n## Q\n- [x] a\n- [ ] b\n").title == "T"
    with pytest.raises(ContentError) as caught:
        parse_quiz("x/y.txt", "Q {T}")
    assert str(caught.value) == "x/y.txt:1: a quiz file must end in .md or .gift"
