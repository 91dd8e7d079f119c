"""The learner's pages: home, catalogue, course, lesson (with marking it complete and its assets), progress."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import catalogue, clock, enrolment, page_cache, progress, reminders
from ..assets import asset_response
from ..auth.permissions import LEARNING_ROLES, can_learn, landing_endpoint, role_required
from ..catalogue import snapshot
from ..certificates import certificates_of
from ..database.transactions import write_transaction
from ..extensions import db
from ..models import User
from ..progress.completion import record_completions
from .forms import CompleteLessonForm, RemindersForm

bp = Blueprint("learn", __name__)
learner_required = role_required(*LEARNING_ROLES)


@bp.route("/")
@login_required
def home():
    if landing_endpoint(current_user) != "learn.home":
        return redirect(url_for(landing_endpoint(current_user)))
    if not can_learn(current_user):
        return render_template("learn/home.html", courses=[], tallies={}, resume=None)
    tallies = progress.course_tallies(current_user.id)
    dues = enrolment.due_dates(current_user.id)  # enrolled courses, most urgent first
    started = [i for i in progress.started_course_ids(current_user.id) if i not in dues]
    courses = {c.id: c for c in catalogue.list_courses()}
    mine = [courses[i] for i in [*dues, *started] if i in courses]
    return render_template("learn/home.html", courses=mine, tallies=tallies, all_courses=list(courses.values()),
                           dues=dues, today=clock.today(), resume=progress.next_lesson(current_user.id))


@bp.route("/courses/")
@learner_required
def courses():
    return render_template("learn/catalogue.html", courses=catalogue.list_courses(),
                           tallies=progress.course_tallies(current_user.id))


@bp.route("/courses/<course_slug>/")
@learner_required
def course(course_slug):
    course = catalogue.find_course(course_slug) or abort(404)
    outline = catalogue.course_outline(course)
    mine = progress.course_progress(
        current_user.id, course.id, [lesson.id for _, lessons in outline for lesson in lessons],
        [module.quiz.id for module, _ in outline if module.quiz])
    return page_cache.page(
        "learn/course.html", (snapshot.current().version, course.id, *_progress_key(mine)), lambda: dict(
            course=course, outline=outline, quiz_results=mine.quiz_results, states=mine.states,
            tallies={module.id: mine.tally(module) for module, _ in outline}))


def _progress_key(mine: progress.PageProgress) -> tuple:
    """Everything of the learner's progress a page can show: each lesson's state and each quiz's result."""
    return tuple(mine.states.items()), tuple(sorted(mine.quiz_results.items()))


@bp.route("/courses/<course_slug>/<module_slug>/<lesson_slug>")
@learner_required
def lesson(course_slug, module_slug, lesson_slug):
    lesson = catalogue.find_lesson(course_slug, module_slug, lesson_slug) or abort(404)
    module, siblings = lesson.module, lesson.module.lessons
    mine = progress.module_progress(current_user.id, module.id, [s.id for s in siblings],
                                    [module.quiz.id] if module.quiz else [])
    if lesson.id not in mine.recent:
        with write_transaction():  # reads above share no lock; the view is recorded in a short write
            progress.record_view(current_user.id, lesson)
    if mine.states[lesson.id] == progress.NOT_STARTED:
        mine.states[lesson.id] = progress.VIEWED

    def context() -> dict:  # only when the page is rendered, not when a kept one is sent
        index = siblings.index(lesson)
        return dict(lesson=lesson, module=module, course=module.course, siblings=siblings, index=index,
                    states=mine.states, module_tally=mine.tally(module), quiz=module.quiz,
                    previous=siblings[index - 1] if index > 0 else None,
                    next=siblings[index + 1] if index + 1 < len(siblings) else None)

    return page_cache.page(
        "learn/lesson.html", (snapshot.current().version, lesson.id, *_progress_key(mine)), context)


@bp.route("/courses/<course_slug>/<module_slug>/<lesson_slug>/complete", methods=["POST"])
@learner_required
def complete(course_slug, module_slug, lesson_slug):
    lesson = catalogue.find_lesson(course_slug, module_slug, lesson_slug) or abort(404)
    if CompleteLessonForm().validate_on_submit():
        progress.mark_complete(current_user.id, lesson)
        record_completions(current_user.id, lesson.module.id, lesson.module.course_id)
        db.session.commit()
        flash("Lesson marked as complete.", "success")
    return redirect(url_for(".lesson", course_slug=course_slug, module_slug=module_slug, lesson_slug=lesson_slug))


@bp.route("/courses/<course_slug>/<module_slug>/assets/<filename>")
@learner_required
def asset(course_slug, module_slug, filename):
    return asset_response(catalogue.find_asset(course_slug, module_slug, filename) or abort(404))


@bp.route("/progress")
@learner_required
def my_progress():
    started = set(progress.started_course_ids(current_user.id))
    courses = [c for c in catalogue.list_courses() if c.id in started]
    return render_template(
        "learn/progress.html", courses=courses, tallies=progress.course_tallies(current_user.id),
        modules=catalogue.live_modules_by_course(), module_tallies=progress.module_tallies(current_user.id),
        resume=progress.next_lesson(current_user.id), certificates=certificates_of(current_user.id),
        wants_reminders=db.session.get(User, current_user.id).wants_reminders, reminders_form=RemindersForm(),
    )


@bp.route("/progress/reminders", methods=["POST"])
@learner_required
def set_reminders():
    """Turn one's own due-date reminders on or off; coordinators still see one's progress either way."""
    form = RemindersForm()
    if form.validate_on_submit():
        wants = form.wants.data == "on"
        reminders.set_wants_reminders(db.session.get(User, current_user.id), wants)
        db.session.commit()
        flash("Reminders are on." if wants else "Reminders are off: you will get no more due-date emails.",
              "success")
    else:
        flash("That did not work. Please try again.", "error")
    return redirect(url_for(".my_progress"))
