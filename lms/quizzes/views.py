"""Taking a module's quiz: overview, answer sheet, submission and review."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, load_only
from werkzeug.datastructures import MultiDict

from .. import catalogue, page_cache
from ..auth.kept import keeps_posted_form, take_kept_form
from ..auth.permissions import LEARNING_ROLES, role_required
from ..catalogue import snapshot
from ..database.transactions import reads_first, write_transaction
from ..extensions import csrf, db
from ..models import Module, Quiz, QuizAttempt
from ..questions.types import question_type
from . import services
from .forms import (
    AttemptForm,
    SheetPost,
    StartAttemptForm,
    answerable_count,
    answered_count,
    asked_back,
    read_responses,
    sheet_fields,
    unanswered,
)
from .review import review_items

bp = Blueprint("quizzes", __name__)
learner_required = role_required(*LEARNING_ROLES)


@bp.route("/courses/<course_slug>/<module_slug>/quiz")
@learner_required
def show(course_slug, module_slug):
    quiz = catalogue.find_quiz_entry(course_slug, module_slug) or abort(404)
    standing = services.standing(current_user.id, quiz)
    attempts = services.attempts_of(current_user.id, quiz.id) if standing.attempts_used else []
    key = (snapshot.current().version, quiz.id, standing, tuple(tuple(attempt) for attempt in attempts))
    return page_cache.page("quizzes/show.html", key, lambda: dict(
        quiz=quiz, module=quiz.module, course=quiz.module.course, standing=standing, attempts=attempts))


@bp.route("/courses/<course_slug>/<module_slug>/quiz/start", methods=["POST"])
@learner_required
@reads_first
def start(course_slug, module_slug):
    quiz = catalogue.find_quiz(course_slug, module_slug) or abort(404)
    if not StartAttemptForm().validate_on_submit():
        abort(400)
    try:
        with write_transaction():
            attempt_id = services.start_attempt(current_user.id, quiz)
    except services.AttemptError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".show", course_slug=course_slug, module_slug=module_slug))
    return redirect(url_for(".take", attempt_id=attempt_id))


def _own_attempt(attempt_id: int) -> QuizAttempt:
    """The signed-in learner's attempt; anyone else's is 'not found', never shown."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    return attempt


@bp.route("/quiz/attempts/<int:attempt_id>", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so a refused one re-shows the sheet with the answers instead of a 400
@keeps_posted_form
@learner_required
@reads_first
def take(attempt_id):
    attempt = services.sheet_of(attempt_id)  # no answers to load: an attempt on its sheet has none yet
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    if attempt.submitted_at is not None:
        return redirect(url_for(".review", attempt_id=attempt.id))
    if request.method == "POST":
        return _answer(attempt, SheetPost.read(request.form), sheet_fields(request.form))
    kept = take_kept_form(request.path)
    if kept is not None:
        flash("Your answers from before you signed in again are back on the sheet. Check them, then submit.", "info")
    return _show_sheet(attempt, sheet_fields(kept or MultiDict()))


def _answer(attempt, post: SheetPost, posted: MultiDict):
    """Grade the posted sheet, or first show what is unanswered, or show the sheet again; never loses an answer."""
    if not post.token_valid:
        flash("Your form expired or was sent from elsewhere, so nothing was submitted. Your answers are kept below: "
              "submit again.", "error")
        return _show_sheet(attempt, posted, status=400)
    if post.going_back:
        return _show_sheet(attempt, posted)
    asked = asked_back(attempt.questions, posted)
    if asked:  # answers to retype before anything is graded: the sheet again, everything kept
        return _show_sheet(attempt, posted, asked=asked)
    responses = read_responses(attempt.questions, posted)
    missing = unanswered(attempt.questions, responses)
    if missing and not post.confirmed:
        return _show_summary(attempt, posted, missing)
    with write_transaction():
        services.submit_attempt(attempt, responses)  # False if another request graded it first: same review
    return redirect(url_for(".review", attempt_id=attempt.id))


def _quiz_of(attempt) -> Quiz:
    """The attempt's quiz with just what the sheet's heading and crumbs show."""
    return db.session.scalar(
        select(Quiz).where(Quiz.id == attempt.quiz_id)
        .options(load_only(Quiz.id, Quiz.title, Quiz.module_id), joinedload(Quiz.module).joinedload(Module.course)))


def _show_sheet(attempt, posted: MultiDict, status: int = 200, asked: dict | None = None):
    """The answer sheet, with ``posted`` answers filled in and counted, and ``asked`` messages by field."""
    quiz = _quiz_of(attempt)
    return render_template("quizzes/take.html", attempt=attempt, quiz=quiz, module=quiz.module,
                           course=quiz.module.course, form=AttemptForm(), questions=_sheet(attempt.questions),
                           posted=posted, answered=answered_count(attempt.questions, posted),
                           total=answerable_count(attempt.questions), asked=asked or {}), status


def _show_summary(attempt, posted: MultiDict, missing: list[int]):
    """The page before grading a sheet with unanswered questions: nothing is graded or used until confirmed."""
    quiz = _quiz_of(attempt)
    return render_template("quizzes/confirm.html", attempt=attempt, quiz=quiz, module=quiz.module,
                           course=quiz.module.course, form=AttemptForm(), posted=posted, missing=missing,
                           total=answerable_count(attempt.questions))


def _sheet(questions: list[dict]) -> list[dict]:
    """What the answer sheet may show: prompts and options, never weights, answers or feedback."""
    sheet = []
    for position, stored in enumerate(questions):
        spec, html = stored["spec"], stored["html"]
        kind = question_type(spec["type"])
        sheet.append({"field": f"q{position}", "template": kind.sheet_template, "prompt": html.get(spec["prompt"], ""),
                      "points": spec["points"], "answerable": kind.answerable, **kind.sheet(stored, html)})
    return sheet


@bp.route("/quiz/attempts/<int:attempt_id>/review")
@learner_required
def review(attempt_id):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for(".take", attempt_id=attempt.id))
    quiz = attempt.quiz
    standing = services.standing(current_user.id, quiz)
    return render_template("quizzes/review.html", attempt=attempt, quiz=quiz, module=quiz.module,
                           course=quiz.module.course, standing=standing,
                           reveal=services.may_reveal(quiz, standing), items=review_items(attempt),
                           next_module=catalogue.next_module(quiz.module.course.slug, quiz.module.slug))
