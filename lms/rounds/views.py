"""The coordinator's cohort pages: create cohorts, enrol them in courses with due dates, manage members.

Each POST validates its form, calls one service of ``lms.enrolment`` (which keeps the status rows in
step), commits once, flashes and redirects; a refusal re-renders the page with the message next to the
field. Cohorts are shared, so every coordinator sees every cohort and may enrol it; people are not: a
region-limited coordinator sees, counts, adds, moves, extends and removes only people in their regions,
and anyone else is a 404, as if they did not exist.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import enrolment
from ..auth.permissions import REPORTING_ROLES, region_scope, role_required
from ..enrolment import EnrolmentError, PastDueDate
from ..extensions import db
from ..models import Cohort, Course, User
from ..security import number_arg
from . import queries
from .forms import ActionForm, AddMembersForm, CohortForm, EnrolForm, ExtendForm, FindPeopleForm, MoveForm

bp = Blueprint("rounds", __name__, url_prefix="/cohorts")
coordinator_required = role_required(*REPORTING_ROLES)


def _cohort(cohort_id: int) -> Cohort:
    return db.session.get(Cohort, cohort_id) or abort(404)


def _member(cohort: Cohort, user_id: int) -> User:
    """A member the viewer may see; 404 for anyone else, whether or not the account exists."""
    user = queries.person_in_scope(user_id, region_scope(current_user))
    if user is None or not queries.is_member(cohort, user):
        abort(404)
    return user


def _page() -> int:
    return number_arg("page", 1)


@bp.route("/", methods=["GET", "POST"])
@coordinator_required
def index():
    """Every cohort with its courses, due dates and (visible) members; the form for a new one."""
    form = CohortForm()
    if form.validate_on_submit():
        try:
            cohort = enrolment.create_cohort(form.name.data)
        except EnrolmentError as exc:
            form.name.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Cohort {cohort.name} created. Enrol it in a course and add people.", "success")
            return redirect(url_for(".show", cohort_id=cohort.id))
    return render_template("rounds/index.html", form=form, summaries=queries.cohort_summaries(
        region_scope(current_user)), scope=region_scope(current_user)), 422 if form.errors else 200


@bp.route("/<int:cohort_id>/")
@coordinator_required
def show(cohort_id):
    """A cohort: its enrolments, its members (those the viewer may see) and the people who can be added."""
    return _render_show(_cohort(cohort_id))


def _enrol_form(formdata=True) -> EnrolForm:
    form = EnrolForm() if formdata else EnrolForm(formdata=None)
    form.course.choices = queries.courses()
    return form


def _render_show(cohort: Cohort, enrol_form: EnrolForm | None = None, add_form: AddMembersForm | None = None,
                 status: int = 200):
    scope = region_scope(current_user)
    enrolments = queries.enrolments_of(cohort)
    find = FindPeopleForm(request.args)
    text = (find.q.data or "") if find.validate() else ""
    candidates, more = queries.candidates(cohort, scope, text)
    add_form = add_form or AddMembersForm(formdata=None)
    add_form.people.choices = [(user.id, _label(user)) for user in candidates]
    page, total = _page(), queries.count_members(cohort, scope)
    people = queries.members(cohort, scope, page)
    states = queries.states([user.id for user in people], [e.course_id for e in enrolments])
    return render_template(
        "rounds/show.html", cohort=cohort, enrolments=enrolments, scope=scope,
        enrol_form=enrol_form or _enrol_form(formdata=False), action=ActionForm(formdata=None),
        find=find, add_form=add_form, more=more, people=people, states=states, total=total, page=page,
        pages=max(1, -(-total // queries.PAGE_SIZE))), status


def _label(user: User) -> str:
    mission = user.mission.code if user.mission else "no mission"
    return f"{user.name} · {user.email} · {mission}"


@bp.route("/<int:cohort_id>/enrol", methods=["POST"])
@coordinator_required
def enrol(cohort_id):
    """Enrol the cohort in a course by a due date, or change that date; a past date needs confirming."""
    cohort = _cohort(cohort_id)
    form = _enrol_form()
    if form.validate_on_submit():
        course = db.session.get(Course, form.course.data) or abort(404)
        if _dated(form, lambda: enrolment.enrol_cohort(cohort, course, form.due_on.data, form.confirm.data)):
            db.session.commit()
            flash(f"{cohort.name} is enrolled in {course.title}, due {form.due_on.data.isoformat()}.", "success")
            return redirect(url_for(".show", cohort_id=cohort.id))
    return _render_show(cohort, enrol_form=form, status=422)


def _dated(form, action) -> bool:
    """Run ``action``; a refusal goes next to the due date (and a past date shows the confirm box)."""
    try:
        action()
    except PastDueDate as exc:
        db.session.rollback()
        form.ask_confirm = True
        form.due_on.errors.append(f"{exc} Tick “{form.confirm.label.text}” and save again to use it anyway.")
        return False
    except EnrolmentError as exc:
        db.session.rollback()
        form.course.errors.append(str(exc))
        return False
    return True


@bp.route("/<int:cohort_id>/courses/<int:course_id>/unenrol", methods=["POST"])
@coordinator_required
def unenrol(cohort_id, course_id):
    """End the cohort's enrolment in a course (the learners' progress stays)."""
    cohort = _cohort(cohort_id)
    course = db.session.get(Course, course_id) or abort(404)
    if ActionForm().validate_on_submit():
        enrolment.unenrol_cohort(cohort, course)
        db.session.commit()
        flash(f"{cohort.name} is no longer enrolled in {course.title}.", "success")
    return redirect(url_for(".show", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/members", methods=["POST"])
@coordinator_required
def members_add(cohort_id):
    """Add the ticked people; anyone who may not be added (outside the regions, unknown) is a 404."""
    cohort = _cohort(cohort_id)
    form = AddMembersForm()
    if not form.validate_on_submit():
        return _render_show(cohort, add_form=form, status=422)
    wanted = set(form.people.data or [])
    if not wanted:
        form.people.errors.append("Tick at least one person to add.")
        return _render_show(cohort, add_form=form, status=422)
    people = queries.chosen_candidates(cohort, region_scope(current_user), sorted(wanted))
    if len(people) != len(wanted):
        abort(404)
    joined = enrolment.add_members(cohort, people)
    db.session.commit()
    flash(f"{joined} {'person' if joined == 1 else 'people'} added to {cohort.name}.", "success")
    return redirect(url_for(".show", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/members/<int:user_id>")
@coordinator_required
def member(cohort_id, user_id):
    """One member: their standing in the cohort's courses; move, extend, remove."""
    cohort = _cohort(cohort_id)
    return _render_member(cohort, _member(cohort, user_id))


def _move_form(cohort: Cohort, formdata=True) -> MoveForm:
    form = MoveForm() if formdata else MoveForm(formdata=None)
    form.target.choices = queries.other_cohorts(cohort)
    return form


def _extend_form(enrolments, formdata=True) -> ExtendForm:
    form = ExtendForm() if formdata else ExtendForm(formdata=None)
    form.course.choices = [(e.course_id, e.course.title) for e in enrolments]
    return form


def _render_member(cohort: Cohort, user: User, move_form=None, extend_form=None, status: int = 200):
    enrolments = queries.enrolments_of(cohort)
    return render_template(
        "rounds/member.html", cohort=cohort, person=user, enrolments=enrolments,
        states=queries.states([user.id], [e.course_id for e in enrolments]), cohorts=queries.cohorts_of(user),
        move_form=move_form or _move_form(cohort, formdata=False),
        extend_form=extend_form or _extend_form(enrolments, formdata=False), action=ActionForm(formdata=None)), status


@bp.route("/<int:cohort_id>/members/<int:user_id>/remove", methods=["POST"])
@coordinator_required
def remove(cohort_id, user_id):
    """Take the person out of the cohort."""
    cohort = _cohort(cohort_id)
    user = _member(cohort, user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".member", cohort_id=cohort.id, user_id=user.id))
    enrolment.remove_member(cohort, user)
    db.session.commit()
    flash(f"{user.name} was removed from {cohort.name}.", "success")
    return redirect(url_for(".show", cohort_id=cohort.id))


@bp.route("/<int:cohort_id>/members/<int:user_id>/move", methods=["POST"])
@coordinator_required
def move(cohort_id, user_id):
    """Move the person to another cohort."""
    cohort = _cohort(cohort_id)
    user = _member(cohort, user_id)
    form = _move_form(cohort)
    if form.validate_on_submit():
        target = _cohort(form.target.data)
        try:
            enrolment.move_member(user, cohort, target)
        except EnrolmentError as exc:
            db.session.rollback()
            form.target.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"{user.name} moved from {cohort.name} to {target.name}.", "success")
            return redirect(url_for(".show", cohort_id=cohort.id))
    return _render_member(cohort, user, move_form=form, status=422)


@bp.route("/<int:cohort_id>/members/<int:user_id>/extend", methods=["POST"])
@coordinator_required
def extend(cohort_id, user_id):
    """Give the person a new due date in one of the cohort's courses; a past date needs confirming."""
    cohort = _cohort(cohort_id)
    user = _member(cohort, user_id)
    form = _extend_form(queries.enrolments_of(cohort))
    if form.validate_on_submit():
        course = db.session.get(Course, form.course.data) or abort(404)
        if _dated(form, lambda: enrolment.extend(user, course, form.due_on.data, current_user, form.confirm.data)):
            db.session.commit()
            flash(f"{user.name} now has until {form.due_on.data.isoformat()} for {course.title}.", "success")
            return redirect(url_for(".member", cohort_id=cohort.id, user_id=user.id))
    return _render_member(cohort, user, extend_form=form, status=422)
