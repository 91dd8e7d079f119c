"""Starting, submitting and reviewing quiz attempts. Services flush; the caller commits.

The quiz page, starting and submitting are the busiest requests, so they run Core statements on the
attempt table, built once with bind parameters (SQLAlchemy reuses their compiled form) and selecting
only the columns they use; no attempt object, snapshot or answer is loaded that a page does not show.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import Row, bindparam, case, func, insert, select, update

from ..catalogue.snapshot import QuizEntry
from ..database.dialect import dialect_insert
from ..database.fixed import FixedRead
from ..extensions import db
from ..models import AttemptAnswer, Module, Quiz, QuizAttempt
from ..models.base import utcnow
from ..progress import note_activity
from ..progress.completion import record_completions
from ..questions import QuizSpec, score_attempt
from ..questions.order import option_order, question_order, right_option_order
from ..questions.pools import drawn_indexes, rules_from_json
from ..questions.serialize import question_from_dict

ATTEMPT = QuizAttempt.__table__
_MINE = (ATTEMPT.c.user_id == bindparam("user_id")) & (ATTEMPT.c.quiz_id == bindparam("quiz_id"))
# One pass over the learner's attempts at a quiz gives the whole standing, the open attempt and the last number.
_STANDING = FixedRead(select(
    func.count(ATTEMPT.c.submitted_at),
    func.max(ATTEMPT.c.percent),
    func.coalesce(func.max(case((ATTEMPT.c.passed.is_(True), 1), else_=0)), 0),
    func.max(case((ATTEMPT.c.submitted_at.is_(None), ATTEMPT.c.id))),
    func.coalesce(func.max(ATTEMPT.c.number), 0),
).where(_MINE))
_SUBMITTED = (
    select(ATTEMPT.c.id, ATTEMPT.c.number, ATTEMPT.c.submitted_at, ATTEMPT.c.percent, ATTEMPT.c.passed)
    .where(_MINE, ATTEMPT.c.submitted_at.is_not(None)).order_by(ATTEMPT.c.number.desc())
)
_SHEET = select(ATTEMPT.c.id, ATTEMPT.c.user_id, ATTEMPT.c.quiz_id, ATTEMPT.c.number, ATTEMPT.c.pass_mark,
                ATTEMPT.c.submitted_at, ATTEMPT.c.questions).where(ATTEMPT.c.id == bindparam("attempt_id"))
# Claiming and grading in one conditional UPDATE: of two submissions of one attempt, only one matches a row.
_CLAIM = (
    update(ATTEMPT).where(ATTEMPT.c.id == bindparam("attempt_id"), ATTEMPT.c.submitted_at.is_(None))
    .values(submitted_at=bindparam("now"), points=bindparam("earned"), max_points=bindparam("out_of"),
            percent=bindparam("score"), passed=bindparam("pass"))
)
_INSERT_ANSWERS = insert(AttemptAnswer.__table__)
# Pools are drawn from the operating system's randomness, so no draw can be worked out in advance.
DRAWS = random.SystemRandom()
_PLACE_OF_QUIZ = (select(Module.__table__.c.id, Module.__table__.c.course_id)
                  .join(Quiz.__table__).where(Quiz.__table__.c.id == bindparam("quiz_id")))


class AttemptError(Exception):
    """An attempt cannot be started or submitted; the message is for the learner."""


@dataclass(frozen=True)
class QuizStanding:
    """A learner's record on one quiz."""

    attempts_used: int
    attempts_left: int | None  # None: unlimited
    best_percent: float | None
    passed: bool
    in_progress_id: int | None  # the unfinished attempt, if any
    last_number: int = 0  # the number of the learner's latest attempt, submitted or not

    @property
    def can_start(self) -> bool:
        return self.in_progress_id is not None or self.attempts_left is None or self.attempts_left > 0


def standing(user_id: int, quiz: Quiz | QuizEntry) -> QuizStanding:
    """Attempts used and left, best score, whether passed, and any unfinished attempt (one query)."""
    [(used, best, passed, in_progress_id, last_number)] = _STANDING.rows(user_id=user_id, quiz_id=quiz.id)
    left = None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)
    return QuizStanding(used, left, best, bool(passed), in_progress_id, last_number)


def attempts_of(user_id: int, quiz_id: int) -> list[Row]:
    """The learner's submitted attempts at a quiz, newest first: id, number, submitted_at, percent, passed."""
    return list(db.session.execute(_SUBMITTED, {"user_id": user_id, "quiz_id": quiz_id}))


def start_attempt(user_id: int, quiz: Quiz, draws: random.Random | None = None) -> int:
    """The id of the learner's unfinished attempt, or of a new one within the attempt limit.

    ``draws`` picks the questions of the quiz's pools; tests pass a seeded one.
    """
    current = standing(user_id, quiz)
    if current.in_progress_id is not None:
        return current.in_progress_id
    if not current.can_start:
        raise AttemptError("You have used all your attempts at this quiz.")
    number, now = current.last_number + 1, utcnow()
    # Seeded by the attempt's unique key, so the snapshot is ready before the short write.
    questions = _snapshot(quiz, f"{user_id}:{quiz.id}:{number}", draws or DRAWS)
    attempt_id = db.session.scalar(_insert_attempt(), dict(
        user_id=user_id, quiz_id=quiz.id, number=number, pass_mark=quiz.pass_mark, started_at=now, questions=questions))
    if attempt_id is None:  # a double click raced us: the unique number lets one start win
        raise AttemptError("An attempt was started a moment ago; please open it from the quiz page.")
    note_activity(user_id, quiz.module.course_id, now)
    return attempt_id


def _insert_attempt():
    """INSERT … ON CONFLICT DO NOTHING RETURNING id: None when the learner's next number was just taken."""
    return (dialect_insert(db.session.get_bind().dialect.name, ATTEMPT)
            .on_conflict_do_nothing(index_elements=["user_id", "quiz_id", "number"]).returning(ATTEMPT.c.id))


def _snapshot(quiz: Quiz, seed: str, draws: random.Random) -> list[dict]:
    """The questions this attempt asks, as it shows them: order, option order, and their rendered text."""
    spec = quiz_spec(quiz.questions, quiz)
    asked = drawn_indexes(spec, draws)
    shown = []
    for index in (index for index in question_order(spec, seed) if index in asked):
        question = spec.questions[index]
        stored = quiz.questions[index]
        shown.append({**stored, "options": list(option_order(spec, question, seed)),
                      "rights": list(right_option_order(question, seed))})
    return shown


def quiz_spec(questions: list[dict], quiz: Quiz | None = None, pass_mark: int | None = None) -> QuizSpec:
    """A QuizSpec from stored questions, for ordering and grading."""
    specs = tuple(question_from_dict(q["spec"]) for q in questions)
    if quiz is None:
        return QuizSpec(title="", pass_mark=pass_mark or 0, questions=specs)
    return QuizSpec(title=quiz.title, pass_mark=quiz.pass_mark, shuffle_questions=quiz.shuffle_questions,
                    shuffle_options=quiz.shuffle_options, questions=specs, draw=rules_from_json(quiz.draw))


def sheet_of(attempt_id: int) -> Row | None:
    """An attempt's id, user_id, quiz_id, number, pass_mark, submitted_at and question snapshot; no answers."""
    return db.session.execute(_SHEET, {"attempt_id": attempt_id}).one_or_none()


def submit_attempt(attempt, responses: dict) -> bool:
    """Grade the attempt once. Returns False, changing nothing, if it was already submitted.

    ``attempt`` is a row of ``sheet_of`` (or a QuizAttempt). It is graded before the first write, so a
    writing transaction holds its lock only for one UPDATE and one INSERT of every answer.
    """
    score = score_attempt(quiz_spec(attempt.questions, pass_mark=attempt.pass_mark), responses)
    percent = round(score.percent, 2)
    claimed = db.session.execute(_CLAIM, {
        "attempt_id": attempt.id, "now": utcnow(), "earned": score.points, "out_of": score.max_points,
        "score": percent, "pass": score.passed}).rowcount
    if claimed != 1:
        return False
    db.session.execute(_INSERT_ANSWERS, [_answer_row(attempt.id, position, stored["spec"], responses, score.results)
                                         for position, stored in enumerate(attempt.questions)])
    if score.passed:
        module_id, course_id = db.session.execute(_PLACE_OF_QUIZ, {"quiz_id": attempt.quiz_id}).one()
        record_completions(attempt.user_id, module_id, course_id)
    return True


def _answer_row(attempt_id: int, position: int, spec: dict, responses: dict, results: dict) -> dict:
    result = results[spec["key"]]
    return dict(attempt_id=attempt_id, question_key=spec["key"], position=position, response=responses.get(spec["key"]),
                points=result.points, max_points=result.out_of, correct=result.correct, feedback=list(result.feedback))


def may_reveal(quiz: Quiz, quiz_standing: QuizStanding) -> bool:
    """Whether the quiz's reveal rule lets the learner see right answers and feedback now."""
    if quiz.reveal == "after_each_attempt":
        return True
    if quiz.reveal == "once_passed":
        return quiz_standing.passed
    return quiz_standing.passed or quiz_standing.attempts_left == 0
