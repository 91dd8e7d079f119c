"""A quiz with a question pool: each attempt asks its own draw and is graded on it alone."""
import csv
import io
import random

import pytest
from sqlalchemy import select

from lms.extensions import db
from lms.models import Quiz, QuizAttempt
from lms.questions.pools import drawn_indexes
from lms.quizzes import services
from lms.quizzes.services import start_attempt
from tests.helpers import csrf_token

from .test_quiz_rules import reimport

URL = "/courses/intro-course/practice/quiz"
POOLED = """---
title: Pooled check
pass_mark: 100
draw:
  - {tag: pool, count: 1}
---

## Always asked: embassy premises are inviolable.
key: always

- [x] True
- [ ] False

## Pool question A: a holding statement buys time.
key: pool-a
tags: pool
points: 2

- [x] True
- [ ] False

## Pool question B: a holding statement announces the final verdict.
key: pool-b
tags: pool
points: 3

- [ ] True
- [x] False
"""


class FirstThenLast:
    """A stand-in random source: the first attempt draws each pool's first questions, later ones its last."""

    def __init__(self):
        self.draws = 0

    def sample(self, population, k):
        self.draws += 1
        return list(population[:k] if self.draws == 1 else population[-k:])


@pytest.fixture
def pooled(app, courses_dir, quizzes_dir, monkeypatch):
    """The practice module's quiz: one question always asked and a pool of two, one drawn per attempt."""
    (quizzes_dir / "intro-course" / "practice.md").write_text(POOLED)
    reimport(app, courses_dir, quizzes_dir)
    monkeypatch.setattr(services, "DRAWS", FirstThenLast())


def take(client, answers: dict) -> tuple[str, str]:
    """Start an attempt, answer its sheet with ``answers`` (field -> value); returns the sheet's HTML and URL."""
    page = client.get(URL).get_data(as_text=True)
    sheet = client.post(URL + "/start", data={"csrf_token": csrf_token(page)}).headers["Location"]
    html = client.get(sheet).get_data(as_text=True)
    assert client.post(sheet, data={"csrf_token": csrf_token(html), **answers}).status_code == 302
    return html, sheet


def graded(app) -> list[tuple[list[str], float, float, bool]]:
    """Each attempt's question keys, points, max points and pass, in attempt order."""
    with app.app_context():
        attempts = db.session.scalars(select(QuizAttempt).order_by(QuizAttempt.number))
        return [([a.question_key for a in attempt.answers], attempt.points, attempt.max_points, attempt.passed)
                for attempt in attempts]


def test_two_attempts_draw_from_the_pool_and_are_graded_on_their_own_questions(app, client, pooled, make_user,
                                                                                 login):
    login(make_user())
    assert "<dt>Questions</dt><dd>2</dd>" in client.get(URL).get_data(as_text=True)
    first, _ = take(client, {"q0": "true", "q1": "true"})
    second, second_url = take(client, {"q0": "false", "q1": "false"})
    assert "Pool question A" in first and "Pool question B" not in first
    assert "Pool question B" in second and "Pool question A" not in second
    assert graded(app) == [(["always", "pool-a"], 3.0, 3.0, True), (["always", "pool-b"], 3.0, 4.0, False)]
    review = client.get(second_url + "/review").get_data(as_text=True)
    assert "75%" in review and "Pool question B" in review and "Pool question A" not in review


def test_question_analysis_counts_each_drawn_question(app, client, pooled, make_user, login):
    login(make_user())
    take(client, {"q0": "true", "q1": "true"})
    take(client, {"q0": "false", "q1": "true"})
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/").get_data(as_text=True))})
    login(make_user("coordinator"))
    with app.app_context():
        quiz_id = db.session.scalar(select(Quiz.id).where(Quiz.title == "Pooled check"))
    response = client.get(f"/reports/quizzes/{quiz_id}?export=csv")
    rows = {row["Question"]: row for row in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    assert {key: (row["Answers"], row["Correct %"]) for key, row in rows.items()} == {
        "always": ("2", "50.0"), "pool-a": ("1", "100.0"), "pool-b": ("1", "0.0")}


def test_start_attempt_draws_with_the_source_it_is_given(app, pooled, make_user):
    seeds = range(6)
    users = [make_user() for _ in seeds]
    with app.app_context():
        quiz = db.session.scalar(select(Quiz).where(Quiz.title == "Pooled check"))
        spec = services.quiz_spec(quiz.questions, quiz)
        expected = [[spec.questions[i].key for i in sorted(drawn_indexes(spec, random.Random(seed)))] for seed in seeds]
        ids = [start_attempt(user.id, quiz, random.Random(seed)) for user, seed in zip(users, seeds, strict=True)]
        db.session.commit()
        drawn = [[q["spec"]["key"] for q in db.session.get(QuizAttempt, id_).questions] for id_ in ids]
    assert drawn == expected
    assert {keys[1] for keys in drawn} == {"pool-a", "pool-b"}  # the seeds do reach both pool questions
