"""Typed answers through the answer sheet: normalised words, number formats, readings asked back, ratios."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from lms.content.importer import import_content
from lms.extensions import db
from lms.models import AttemptAnswer, QuizAttempt
from tests.helpers import csrf_token
from tests.quizzes.helpers import answers, start

TYPED_QUIZ = """---
title: Typed answers
pass_mark: 50
attempts: 3
number_format: "{number_format}"
---

## What do you publish while the facts are being checked?
key: holding

Answer: holding statement

## How many followers does the embassy account have?
key: followers

Answer: 3200

## What contrast ratio does body text need at least?
key: contrast
ratio: true

Answer: 4.5
"""
BLANK = {"q0": "", "q1": "", "q2": ""}


@pytest.fixture
def typed_quiz(app, courses_dir, quizzes_dir):
    """Replace the test quiz with TYPED_QUIZ in a given number format; returns a function doing it."""
    def use(number_format: str = "1,234.5") -> None:
        (quizzes_dir / "intro-course" / "basics.md").write_text(TYPED_QUIZ.format(number_format=number_format))
        with app.app_context():
            import_content(courses_dir, quizzes_dir)
            db.session.commit()
    return use


def post_sheet(client, sheet: str, answers: dict):
    html = client.get(sheet).get_data(as_text=True)
    # "confirm": the learner chose to submit with the other questions blank (else the summary comes first)
    return client.post(sheet, data={"csrf_token": csrf_token(html), "confirm": "yes", **BLANK, **answers})


def graded(app) -> dict[str, bool]:
    """Whether each question of the only attempt was answered correctly."""
    with app.app_context():
        return {row.question_key: row.correct for row in db.session.scalars(select(AttemptAnswer))}


def test_a_short_answer_with_harmless_differences_scores(app, client, typed_quiz, make_user, login):
    typed_quiz()
    login(make_user())
    sheet = start(client)
    response = post_sheet(client, sheet, {"q0": "  A Holding   Statement. "})
    assert response.headers["Location"] == sheet + "/review"
    assert graded(app) == {"holding": True, "followers": False, "contrast": False}


@pytest.mark.parametrize("number_format, typed", [("1,234.5", "3,200"), ("1.234,5", "3.200"), ("1 234,5", "3 200")])
def test_thousands_are_read_in_the_quiz_number_format(app, client, typed_quiz, make_user, login,
                                                      number_format, typed):
    typed_quiz(number_format)
    login(make_user())
    sheet = start(client)
    assert f"Write numbers like {number_format}." in client.get(sheet).get_data(as_text=True)
    assert post_sheet(client, sheet, {"q1": typed}).status_code == 302
    assert graded(app)["followers"] is True


def test_a_ratio_scores_in_any_equal_form(app, client, typed_quiz, make_user, login):
    typed_quiz()
    login(make_user())
    sheet = start(client)
    assert post_sheet(client, sheet, {"q2": "9 to 2"}).status_code == 302
    assert graded(app)["contrast"] is True


def test_an_ambiguous_number_is_asked_back_with_everything_kept(app, client, typed_quiz, make_user, login):
    typed_quiz()
    login(make_user())
    sheet = start(client)
    response = post_sheet(client, sheet, {"q0": "holding statement", "q1": "3,5", "q2": "9:2"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was graded yet: 1 answer needs another look, then submit again." in html
    assert '<li><a href="#q1">Question 2</a></li>' in html
    field = re.search(r'<fieldset class="card question" id="q1">.*?</fieldset>', html, re.S).group(0)
    assert "“3,5” could be read in two ways." in field
    assert 'aria-describedby="q1-hint q1-asked" value="3,5" aria-invalid="true"' in field
    assert 'value="holding statement"' in html and 'value="9:2"' in html
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt))
        assert attempt.submitted_at is None and not graded(app)
    assert post_sheet(client, sheet, {"q0": "holding statement", "q1": "3,200", "q2": "9:2"}).status_code == 302
    assert graded(app) == {"holding": True, "followers": True, "contrast": True}


@pytest.mark.parametrize("field, typed, message", [
    ("q1", "1" * 5000, "This answer is 5,000 characters long; a number here has at most 100."),
    ("q0", "x" * 5000, "This answer is 5,000 characters long; please keep it to 500 at most."),
    ("q1", "ten", "“ten” is not a number."),
])
def test_huge_or_unreadable_input_gets_a_message_not_an_error(app, client, typed_quiz, make_user, login,
                                                             field, typed, message):
    typed_quiz()
    login(make_user())
    sheet = start(client)
    response = post_sheet(client, sheet, {field: typed})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert not graded(app)


def test_choices_and_pairs_are_kept_when_a_number_is_asked_back(client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    data = {**answers(html, right=True), "q4": "60,4"}
    again = client.post(sheet, data={"csrf_token": csrf_token(html), **data}).get_data(as_text=True)
    assert "“60,4” could be read in two ways." in again
    assert re.search(r'id="q0-0" value="0" checked>', again) and not re.search(r'id="q0-1" value="1" checked', again)
    assert re.search(r'id="q1-0" value="0" checked>', again) and re.search(r'id="q1-1" value="1" checked>', again)
    assert re.search(r'id="q2-true" value="true" checked>', again)
    assert 'value="  Alt TEXT "' in again
    for field in ("q5-0", "q5-1", "q5-2"):
        chosen = re.search(rf'<select name="{field}".*?</select>', again, re.S).group(0)
        assert f'<option value="{data[field]}" selected>' in chosen


def test_a_huge_option_index_is_asked_back_not_a_server_error(app, client, quiz_content, make_user, login):
    login(make_user())
    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    response = client.post(sheet, data={"csrf_token": csrf_token(html), **answers(html, right=True), "q0": "1" * 4301})
    assert response.status_code == 200
    assert "That answer is not one of the options shown; please choose again." in response.get_data(as_text=True)
    assert not graded(app)
