"""Starting, submitting and reviewing quiz attempts. Services flush; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from ..extensions import db
from ..models import AttemptAnswer, Quiz, QuizAttempt
from ..models.base import utcnow
from ..quizzes import QuizSpec, score_attempt
from ..quizzes.order import option_order, question_order, right_option_order
from ..quizzes.serialize import question_from_dict
from ..learn.progress import note_activity
from .completion import record_completions


class AttemptError(Exception):
    """An attempt cannot be started or submitted; the message is for the learner."""


@dataclass(frozen=True)
class QuizStanding:
    """A learner's record on one quiz."""

    attempts_used: int
    attempts_left: int | None  # None: unlimited
    best_percent: float | None
    passed: bool
    in_progress: QuizAttempt | None

    @property
    def can_start(self) -> bool:
        return self.in_progress is not None or self.attempts_left is None or self.attempts_left > 0


def standing(user_id: int, quiz: Quiz) -> QuizStanding:
    """Attempts used and left, best score, whether passed, and any unfinished attempt."""
    used, best, passed = db.session.execute(
        select(func.count(QuizAttempt.id), func.max(QuizAttempt.percent),
               func.coalesce(func.max(case((QuizAttempt.passed.is_(True), 1), else_=0)), 0))
        .where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id, QuizAttempt.submitted_at.is_not(None))
    ).one()
    in_progress = db.session.scalar(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id,
                                  QuizAttempt.submitted_at.is_(None)))
    left = None if quiz.max_attempts is None else max(0, quiz.max_attempts - used)
    return QuizStanding(used, left, best, bool(passed), in_progress)


def start_attempt(user_id: int, quiz: Quiz) -> QuizAttempt:
    """The learner's unfinished attempt, or a new one within the attempt limit."""
    current = standing(user_id, quiz)
    if current.in_progress is not None:
        return current.in_progress
    if not current.can_start:
        raise AttemptError("You have used all your attempts at this quiz.")
    number = (db.session.scalar(select(func.max(QuizAttempt.number)).where(
        QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz.id)) or 0) + 1
    attempt = QuizAttempt(user_id=user_id, quiz_id=quiz.id, number=number, pass_mark=quiz.pass_mark, questions=[])
    try:
        with db.session.begin_nested():  # a double click races here: the unique number lets one win
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        raise AttemptError("An attempt was started a moment ago; please open it from the quiz page.") from None
    attempt.questions = _snapshot(quiz, attempt.id)
    note_activity(user_id, quiz.module.course_id, attempt.started_at)
    db.session.flush()
    return attempt


def _snapshot(quiz: Quiz, seed: int) -> list[dict]:
    """The questions as this attempt shows them: order, option order, and their rendered text."""
    spec = quiz_spec(quiz.questions, quiz)
    shown = []
    for index in question_order(spec, seed):
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
                    shuffle_options=quiz.shuffle_options, questions=specs)


def submit_attempt(attempt: QuizAttempt, responses: dict) -> bool:
    """Grade the attempt once. Returns False, changing nothing, if it was already submitted."""
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None))
        .values(submitted_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(attempt)
    score = score_attempt(quiz_spec(attempt.questions, pass_mark=attempt.pass_mark), responses)
    attempt.points, attempt.max_points = score.points, score.max_points
    attempt.percent, attempt.passed = round(score.percent, 2), score.passed
    for position, stored in enumerate(attempt.questions):
        key = stored["spec"]["key"]
        result = score.results[key]
        attempt.answers.append(AttemptAnswer(
            question_key=key, position=position, response=responses.get(key), points=result.points,
            max_points=stored["spec"]["points"], correct=result.correct, feedback=list(result.feedback)))
    db.session.flush()
    if attempt.passed:
        record_completions(attempt.user_id, attempt.quiz.module_id)
    return True


def may_reveal(quiz: Quiz, quiz_standing: QuizStanding) -> bool:
    """Whether the quiz's reveal rule lets the learner see right answers and feedback now."""
    if quiz.reveal == "after_each_attempt":
        return True
    if quiz.reveal == "once_passed":
        return quiz_standing.passed
    return quiz_standing.passed or quiz_standing.attempts_left == 0


def attempts_of(user_id: int, quiz_id: int) -> list[QuizAttempt]:
    """The learner's submitted attempts at a quiz, newest first."""
    return list(db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user_id, QuizAttempt.quiz_id == quiz_id,
                                  QuizAttempt.submitted_at.is_not(None))
        .options(defer(QuizAttempt.questions))  # the snapshot is large and the list shows only scores
        .order_by(QuizAttempt.number.desc())))
