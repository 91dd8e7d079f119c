"""The trainers' studio: overview, course and module pages, editors, revisions, uploads and draft previews.

Views translate HTTP into the services in ``structure.py``, ``revisions.py``, ``publishing.py`` and
``uploads.py``; each action commits once, and a refused action rolls back and shows why, keeping whatever
the trainer typed.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..assets import asset_response
from ..auth.permissions import AUTHORING_ROLES, role_required
from ..content.tree import MAX_ASSET_BYTES
from ..database.transactions import reads_first, write_transaction
from ..documents.errors import ContentError
from ..extensions import db
from ..questions.gift_export import GiftExportError
from ..questions.pools import stored_asked_count
from ..quizzes.gift_file import quiz_as_gift
from ..security import number_arg
from . import editors, lookups, publishing, revisions, structure
from .diffs import diff_lines
from .editing import page_text, studio_links
from .forms import (
    CourseEditForm,
    LessonEditForm,
    MoveForm,
    NewCourseForm,
    NewLessonForm,
    NewModuleForm,
    PublishForm,
    QuizEditForm,
    RestoreForm,
    RetireForm,
    UploadForm,
)
from .uploads import UploadError, store_upload

bp = Blueprint("studio", __name__, url_prefix="/studio")
MODULE = "/courses/<course_slug>/modules/<module_slug>"


@bp.before_request
@role_required(*AUTHORING_ROLES)
def trainers_only():
    """Every studio address is for trainers and admins: checked once, before any view runs."""


def _buttons() -> dict:
    return {"move": MoveForm(), "publish": PublishForm(), "retire": RetireForm()}


def _module_or_404(course_slug: str, module_slug: str):
    return lookups.find_module(course_slug, module_slug) or abort(404)


def _lesson_or_404(course_slug: str, module_slug: str, lesson_slug: str):
    return lookups.find_lesson(course_slug, module_slug, lesson_slug) or abort(404)


# Overview, course and module pages ---------------------------------------------------------------

def _render_index(form, status: int = 200):
    courses = lookups.all_courses()
    return render_template("studio/index.html", form=form, courses=[c for c in courses if c.retired_at is None],
                           retired=[c for c in courses if c.retired_at is not None]), status


def _render_course(course, form=None, problems=(), status: int = 200):
    modules = lookups.course_modules(course)
    return render_template("studio/course.html", course=course, form=form or NewModuleForm(formdata=None),
                           modules=[m for m in modules if m.retired_at is None], problems=problems,
                           retired=[m for m in modules if m.retired_at is not None], **_buttons()), status


def _render_module(module, form=None, problems=(), status: int = 200):
    lessons = lookups.module_lessons(module)
    quiz = lookups.module_quiz(module)
    asked = stored_asked_count(quiz.questions, quiz.draw) if quiz else 0
    return render_template("studio/module.html", module=module, course=module.course, problems=problems,
                           form=form or NewLessonForm(formdata=None), quiz=quiz, asked=asked,
                           lessons=[x for x in lessons if x.retired_at is None],
                           retired=[x for x in lessons if x.retired_at is not None], **_buttons()), status


@bp.route("/")
def index():
    return _render_index(NewCourseForm(formdata=None))


@bp.route("/courses", methods=["POST"])
def create_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        text = page_text("course", True, form.title.data, "", summary=form.summary.data)
        course = editors.run(form, text, lambda: structure.create_course(form.slug.data, text, current_user.id))
        if course is not None:
            flash(f"Course “{course.title}” created as a draft.", "success")
            return redirect(url_for(".course", course_slug=course.slug))
    return _render_index(form, editors.REFUSED)


@bp.route("/courses/<course_slug>/")
def course(course_slug):
    return _render_course(lookups.find_course(course_slug) or abort(404))


@bp.route("/courses/<course_slug>/modules", methods=["POST"])
def create_module(course_slug):
    course = lookups.find_course(course_slug) or abort(404)
    form = NewModuleForm()
    if form.validate_on_submit():
        text = page_text("module", True, form.title.data, "", summary=form.summary.data)
        module = editors.run(form, text, lambda: structure.create_module(course, form.slug.data, text, current_user.id))
        if module is not None:
            flash(f"Module “{module.title}” created as a draft. Add its lessons here.", "success")
            return redirect(url_for(".module", course_slug=course_slug, module_slug=module.slug))
    return _render_course(course, form, status=editors.REFUSED)


@bp.route(f"{MODULE}/")
def module(course_slug, module_slug):
    return _render_module(_module_or_404(course_slug, module_slug))


@bp.route(f"{MODULE}/lessons", methods=["POST"])
@reads_first
def create_lesson(course_slug, module_slug):
    module = _module_or_404(course_slug, module_slug)
    form = NewLessonForm()
    if form.validate_on_submit():
        text = page_text("lesson", True, form.title.data, form.body.data, minutes=form.minutes.data)
        lesson = editors.render_then_write(
            form, text, lambda: structure.check_new_lesson(module, form.slug.data, text),
            lambda checked: structure.create_lesson(module, form.slug.data, text, current_user.id, checked))
        if lesson is not None:
            flash(f"Lesson “{lesson.title}” created as a draft.", "success")
            return redirect(url_for(".module", course_slug=course_slug, module_slug=module_slug,
                                    _anchor=f"lesson-{lesson.slug}"))
    return _render_module(module, form, status=editors.REFUSED)


# Editors --------------------------------------------------------------------------------------------

@bp.route("/courses/<course_slug>/edit", methods=["GET", "POST"])
@reads_first  # renders before its short write (editors.py)
def edit_course(course_slug):
    return editors.edit_page(lookups.find_course(course_slug) or abort(404), CourseEditForm)


@bp.route(f"{MODULE}/edit", methods=["GET", "POST"])
@reads_first
def edit_module(course_slug, module_slug):
    return editors.edit_page(_module_or_404(course_slug, module_slug), CourseEditForm)


@bp.route(f"{MODULE}/lessons/<lesson_slug>/edit", methods=["GET", "POST"])
@reads_first
def edit_lesson(course_slug, module_slug, lesson_slug):
    return editors.edit_page(_lesson_or_404(course_slug, module_slug, lesson_slug), LessonEditForm)


@bp.route(f"{MODULE}/quiz", methods=["GET", "POST"])
@reads_first
def edit_quiz(course_slug, module_slug):
    return editors.edit_quiz(_module_or_404(course_slug, module_slug), QuizEditForm())


@bp.route(f"{MODULE}/quiz.gift")
def quiz_gift(course_slug, module_slug):
    """The module's quiz as a GIFT file to import into Moodle."""
    quiz = lookups.module_quiz(_module_or_404(course_slug, module_slug)) or abort(404)
    try:
        text = quiz_as_gift(quiz)
    except GiftExportError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".edit_quiz", course_slug=course_slug, module_slug=module_slug))
    return Response(text, mimetype="text/plain",
                    headers={"Content-Disposition": f'attachment; filename="{module_slug}.gift"'})


# Buttons: move, publish, retire ---------------------------------------------------------------------

def _live_row_or_404(kind: str, object_id: int, kinds=tuple(lookups.KINDS)):
    row = lookups.find_row(kind, object_id) if kind in kinds else None
    if row is None or row.retired_at is not None:
        abort(404)
    return row


def _listing_url(row) -> str:
    """The studio page that lists ``row`` (where its buttons are)."""
    course, module = lookups.owner_of(row)
    kind = lookups.kind_of(row)
    if kind == "course":
        return url_for(".index")
    if kind == "module":
        return url_for(".course", course_slug=course.slug, _anchor=f"module-{row.slug}")
    return url_for(".module", course_slug=course.slug, module_slug=module.slug,
                   _anchor=f"lesson-{row.slug}" if kind == "lesson" else "quiz")


@bp.route("/<kind>/<int:object_id>/move", methods=["POST"])
def move(kind, object_id):
    row = _live_row_or_404(kind, object_id, ("module", "lesson"))
    form = MoveForm()
    if not form.validate_on_submit() or not (form.up.data or form.down.data):
        abort(400)
    structure.move(row, -1 if form.up.data else 1)
    db.session.commit()
    # File names carry the order; links written with the old numbers still find the page (links.Targets).
    flash(f"Moved “{row.title}” {'up' if form.up.data else 'down'}: it is now "
          f"{row.filename if kind == 'lesson' else row.dirname}.", "success")
    return redirect(_listing_url(row))


@bp.route("/<kind>/<int:object_id>/publish", methods=["POST"])
def publish(kind, object_id):
    row = _live_row_or_404(kind, object_id, ("course", "module", "lesson"))
    form = PublishForm()
    if not form.validate_on_submit() or not (form.publish.data or form.unpublish.data):
        abort(400)
    try:
        publishing.set_published(row, bool(form.publish.data), current_user.id)
    except ContentError as exc:
        db.session.rollback()
        if kind == "course":
            return _render_course(row, problems=exc.problems, status=editors.REFUSED)
        return _render_module(lookups.owner_of(row)[1], problems=exc.problems, status=editors.REFUSED)
    db.session.commit()
    flash(f"“{row.title}” is now {'published: learners see it' if form.publish.data else 'a draft again'}.",
          "success")
    return redirect(_listing_url(row) if kind == "lesson" else url_for(f".{kind}", **_slugs(row)))


def _slugs(row) -> dict:
    course, module = lookups.owner_of(row)
    return {"course_slug": course.slug, **({"module_slug": module.slug} if module else {})}


@bp.route("/<kind>/<int:object_id>/retire", methods=["POST"])
def retire(kind, object_id):
    row = _live_row_or_404(kind, object_id)
    if not RetireForm().validate_on_submit():
        abort(400)
    structure.retire(row)
    db.session.commit()
    flash(f"Retired “{row.title}”: learners no longer see it; their progress is kept.", "success")
    return redirect(_listing_url(row))


# Revisions ------------------------------------------------------------------------------------------

def _any_row_or_404(kind: str, object_id: int):
    return (lookups.find_row(kind, object_id) if kind in lookups.KINDS else None) or abort(404)


@bp.route("/<kind>/<int:object_id>/history")
def history(kind, object_id):
    row = _any_row_or_404(kind, object_id)
    past = revisions.history(row)
    return render_template("studio/history.html", row=row, kind=kind, revisions=past, form=RestoreForm(),
                           names=lookups.author_names(past), **editors.owner(row))


@bp.route("/<kind>/<int:object_id>/diff")
def diff(kind, object_id):
    row = _any_row_or_404(kind, object_id)
    past = revisions.history(row)
    if not past:
        abort(404)
    new = lookups.find_revision(row, number_arg("b")) if "b" in request.args else past[0]
    old = (lookups.find_revision(row, number_arg("a")) if "a" in request.args
           else past[min(1, len(past) - 1)])
    if old is None or new is None:
        abort(404)
    return render_template("studio/diff.html", row=row, kind=kind, old=old, new=new, revisions=past,
                           lines=diff_lines(old.source, new.source), names=lookups.author_names([old, new]),
                           **editors.owner(row))


@bp.route("/<kind>/<int:object_id>/revisions/<int:revision_id>/restore", methods=["POST"])
@reads_first
def restore(kind, object_id, revision_id):
    row = _any_row_or_404(kind, object_id)
    revision = lookups.find_revision(row, revision_id) or abort(404)
    if not RestoreForm().validate_on_submit():
        abort(400)
    try:
        checked = revisions.check_restore(row, revision)  # rendered before the write begins
        with write_transaction():
            revisions.restore(row, revision, current_user.id, checked)
    except ContentError as exc:
        db.session.rollback()
        flash("This version cannot be restored as it is: " + "; ".join(map(str, exc.problems)), "error")
    else:
        flash(f"Restored the version of revision {revision.id} (kept as a new revision).", "success")
    return redirect(url_for(".history", kind=kind, object_id=object_id))


# Images and draft previews --------------------------------------------------------------------------

@bp.route(f"{MODULE}/assets", methods=["GET", "POST"])
def assets(course_slug, module_slug):
    module = _module_or_404(course_slug, module_slug)
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            asset = store_upload(module, upload.filename or "", upload.read(MAX_ASSET_BYTES + 1))
        except UploadError as exc:
            db.session.rollback()
            form.file.errors = [*form.file.errors, str(exc)]
        else:
            db.session.commit()
            flash(f"Uploaded {asset.filename}. To show it in a lesson, paste ![describe the image]({asset.filename})",
                  "success")
            return redirect(url_for(".assets", course_slug=course_slug, module_slug=module_slug))
    status = editors.REFUSED if form.errors else 200
    return render_template("studio/assets.html", module=module, course=module.course, form=form,
                           assets=lookups.module_assets(module)), status


@bp.route(f"{MODULE}/assets/<filename>")
def asset(course_slug, module_slug, filename):
    module = _module_or_404(course_slug, module_slug)
    return asset_response(lookups.find_asset(module, filename) or abort(404))


@bp.route(f"{MODULE}/lessons/<lesson_slug>/preview")
def preview_lesson(course_slug, module_slug, lesson_slug):
    lesson = _lesson_or_404(course_slug, module_slug, lesson_slug)
    siblings = [x for x in lookups.module_lessons(lesson.module) if x.retired_at is None] or [lesson]
    index = next((i for i, s in enumerate(siblings) if s.id == lesson.id), 0)
    return render_template("studio/preview.html", lesson=lesson, module=lesson.module, course=lesson.module.course,
                           body=studio_links(lesson.body_html), siblings=siblings, index=index,
                           previous=siblings[index - 1] if index > 0 else None,
                           next=siblings[index + 1] if index + 1 < len(siblings) else None)
