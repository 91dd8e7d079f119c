"""The safer answer sheet: a summary before grading unanswered questions, kept answers, and the result page."""
import re
import time

import pytest
from sqlalchemy import func, select

from lms.extensions import db
from lms.models import AttemptAnswer, QuizAttempt
from tests.helpers import csrf_token
from tests.quizzes.helpers import QUIZ, answers, start

BLANK = ("q2", "q3")  # the true-or-false and the short-answer questions


def attempts(app) -> tuple[int, int]:
    """Submitted attempts and stored answers: what grading would change."""
    with app.app_context():
        submitted = db.session.scalar(select(func.count()).where(QuizAttempt.submitted_at.is_not(None)))
        return submitted, db.session.scalar(select(func.count()).select_from(AttemptAnswer))


def sheet_with_gaps(client) -> tuple[str, str, dict]:
    """A started sheet's URL, its HTML, and right answers to all but the BLANK questions."""
    sheet = start(client)
    html = client.get(sheet).get_data(as_text=True)
    data = {name: value for name, value in answers(html, right=True).items() if name not in BLANK}
    return sheet, html, data


@pytest.fixture
def learner(client, quiz_content, make_user, login):
    login(make_user())
    return client


def hidden_fields(html: str) -> dict:
    """The answers a summary page carries, as a browser would post them back."""
    fields: dict = {}
    for name, value in re.findall(r'<input type="hidden" name="(q[\d-]+)" value="([^"]*)">', html):
        fields.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


def test_a_fresh_sheet_counts_nothing_answered(learner):
    html = learner.get(start(learner)).get_data(as_text=True)
    assert "<span data-answered>0</span> of 6 answered" in html
    assert "sheet.js" in html


def test_unanswered_questions_get_a_summary_and_nothing_is_graded(app, learner):
    sheet, html, data = sheet_with_gaps(learner)
    response = learner.post(sheet, data={"csrf_token": csrf_token(html), **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 of 6 questions unanswered" in page
    assert f'formaction="{sheet}#q2"' in page and f'formaction="{sheet}#q3"' in page
    assert ">Question 3</button>" in page and ">Question 4</button>" in page
    assert hidden_fields(page) == data  # every posted answer is carried, and nothing else
    assert attempts(app) == (0, 0)
    assert "0 used, 3 left" in learner.get(QUIZ).get_data(as_text=True)


def test_going_back_shows_the_sheet_with_every_answer_kept(app, learner):
    sheet, html, data = sheet_with_gaps(learner)
    summary = learner.post(sheet, data={"csrf_token": csrf_token(html), **data}).get_data(as_text=True)
    back = learner.post(sheet, data={"csrf_token": csrf_token(summary), "back": "yes", **hidden_fields(summary)})
    page = back.get_data(as_text=True)
    assert back.status_code == 200 and "<span data-answered>4</span> of 6 answered" in page
    assert 'id="q0-0" value="0" checked' in page and 'id="q1-1" value="1" checked' in page
    assert 'id="q2-true" value="true">' in page and 'value="60.4"' in page
    assert len(re.findall(r" selected>", page)) == 3
    assert attempts(app) == (0, 0)


def test_confirming_the_summary_grades_the_sheet_once(app, learner):
    sheet, html, data = sheet_with_gaps(learner)
    summary = learner.post(sheet, data={"csrf_token": csrf_token(html), **data}).get_data(as_text=True)
    response = learner.post(sheet, data={"csrf_token": csrf_token(summary), "confirm": "yes",
                                         **hidden_fields(summary)})
    assert response.status_code == 302 and response.headers["Location"] == sheet + "/review"
    assert attempts(app) == (1, 6)
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.percent)) == round(400 / 6, 2)


def test_a_fully_answered_sheet_is_graded_at_once(app, learner):
    sheet = start(learner)
    html = learner.get(sheet).get_data(as_text=True)
    response = learner.post(sheet, data={"csrf_token": csrf_token(html), **answers(html, right=True)})
    assert response.status_code == 302 and attempts(app) == (1, 6)


def test_the_summary_without_a_valid_token_grades_nothing(app, learner):
    sheet, _html, data = sheet_with_gaps(learner)
    response = learner.post(sheet, data={"csrf_token": "forged", "confirm": "yes", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and attempts(app) == (0, 0)
    assert "nothing was submitted" in page and "<span data-answered>4</span> of 6 answered" in page
    assert 'value="60.4"' in page and 'name="csrf_token"' in page


def test_an_ended_session_keeps_the_answers_for_after_sign_in(app, client, quiz_content, make_user, login):
    user = make_user()
    login(user)
    sheet, html, data = sheet_with_gaps(client)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 24 * 3600
    response = client.post(sheet, data={"csrf_token": csrf_token(html), **data})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert attempts(app) == (0, 0)
    login(user)
    page = client.get(sheet).get_data(as_text=True)
    assert "<span data-answered>4</span> of 6 answered" in page and 'value="60.4"' in page
    assert "back on the sheet" in page
    again = client.get(sheet).get_data(as_text=True)  # restored once, not on every visit
    assert "<span data-answered>0</span> of 6 answered" in again


def test_a_lost_session_cookie_keeps_the_answers_too(app, client, quiz_content, make_user, login):
    user = make_user()
    login(user)
    sheet, html, data = sheet_with_gaps(client)
    client.delete_cookie("session")
    response = client.post(sheet, data={"csrf_token": csrf_token(html), **data})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(user)
    assert 'value="60.4"' in client.get(sheet).get_data(as_text=True)
    assert attempts(app) == (0, 0)


def test_kept_answers_are_not_given_to_someone_else(app, client, quiz_content, make_user, login):
    owner, other = make_user(), make_user()
    login(owner)
    sheet, html, data = sheet_with_gaps(client)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 24 * 3600
    client.post(sheet, data={"csrf_token": csrf_token(html), **data})
    login(other)
    with client.session_transaction() as session:
        assert "kept_form" not in session
    assert client.get(sheet).status_code == 404


@pytest.mark.parametrize("field, value", [("q0", "1" * 4301), ("q1", "9" * 5000), ("q4", "1" * 4301),
                                          ("q5-0", "²"), ("q3", "x" * 100_000)])
def test_huge_or_malformed_fields_never_cause_a_500(app, learner, field, value):
    sheet = start(learner)
    html = learner.get(sheet).get_data(as_text=True)
    data = {**answers(html, right=True), field: value}
    response = learner.post(sheet, data={"csrf_token": csrf_token(html), **data})
    assert response.status_code in (200, 302)
    page = response.get_data(as_text=True)
    assert len(page) < 60_000  # a huge field is not echoed back whole


def test_a_long_answer_is_not_kept_but_the_short_ones_are(app, client, quiz_content, make_user, login):
    user = make_user()
    login(user)
    sheet, html, data = sheet_with_gaps(client)
    data["q3"] = "x" * 3000  # longer than a session cookie may carry
    client.delete_cookie("session")
    client.post(sheet, data={"csrf_token": csrf_token(html), **data})
    login(user)
    page = client.get(sheet).get_data(as_text=True)
    assert 'value="60.4"' in page and "x" * 3000 not in page
    assert "<span data-answered>4</span> of 6 answered" in page
