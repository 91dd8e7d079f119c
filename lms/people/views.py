"""Coordinators' and admins' people pages (import, links), and the public set-password page."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, current_app, flash, make_response, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..auth.permissions import role_required
from ..auth.session import sign_out
from ..auth.throttle import remember_device
from ..exports import csv_response
from ..extensions import db
from ..jobs import jobs
from . import mail
from .carry import UploadLost, load_upload, sign_upload
from .csvfile import MAX_BYTES, MAX_ROWS
from .forms import ALL_COHORTS, ConfirmForm, LinksForm, SetPasswordForm, UploadForm
from .permissions import MANAGER_ROLES, can_administer
from .plan import ImportPlan
from .services import accounts_needing_links, apply_plan, cohort_choices, count_needing_links, preview_import
from .tokens import InvalidLink, check_link, issue_link_rows, use_link

bp = Blueprint("people", __name__)
manager_required = role_required(*MANAGER_ROLES)
PREVIEW_LIMIT = 200  # rows of each kind shown on the preview page; the import applies them all
RESULT_KEY = "people_import_result"
LINKS_HEADER = ["email", "name", "link"]


@bp.route("/people/")
@manager_required
def index():
    """The hub: import, links, and (for admins) the user pages."""
    return render_template("people/index.html", waiting=count_needing_links(current_user),
                           is_admin=can_administer(current_user))


@bp.route("/people/import", methods=["GET", "POST"])
@manager_required
def upload():
    """Step one: upload a CSV; answers with the preview (or the file's problems)."""
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read(MAX_BYTES + 1)
        plan = preview_import(content, current_user)
        return _preview(plan, content.decode("utf-8-sig") if plan.ok else "")
    return render_template("people/upload.html", form=form, max_rows=MAX_ROWS), 422 if form.errors else 200


def _preview(plan: ImportPlan, text: str, notice: str | None = None):
    confirm = ConfirmForm(formdata=None)
    if plan.ok:
        confirm.payload.data = sign_upload(text, current_user.id, plan.digest())
    return render_template("people/preview.html", plan=plan, counts=plan.counts(), confirm=confirm,
                           form=UploadForm(formdata=None), notice=notice, limit=PREVIEW_LIMIT,
                           max_rows=MAX_ROWS), 200 if plan.ok else 422


@bp.route("/people/import/confirm", methods=["POST"])
@manager_required
def confirm():
    """Step two: re-check the carried file and, if the plan is as previewed, import it."""
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            raise UploadLost("The preview could not be read. Please upload the file again.")
        text, digest = load_upload(form.payload.data, current_user.id)
    except UploadLost as exc:
        flash(str(exc), "error")
        return redirect(url_for(".upload"))
    plan = preview_import(text, current_user)
    if not plan.ok or plan.digest() != digest:
        return _preview(plan, text, "The accounts changed since your preview. Check the new preview, then confirm.")
    try:
        result = apply_plan(plan)
        rows = issue_link_rows(result.created) if mail.is_configured(current_app.config) else []
        queued = mail.queue_links(current_app.config, rows)  # in the import's transaction: both or neither
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        flash("Someone changed the same accounts at the same time; nothing was imported. Upload the file again.",
              "error")
        return redirect(url_for(".upload"))
    summary = {"created": len(result.created), "changed": result.changed, "unchanged": result.unchanged,
               "new_cohorts": result.new_cohorts[:20], "more_cohorts": max(0, len(result.new_cohorts) - 20)}
    woken = jobs().deliver_soon(queued)  # after the commit, so the worker finds them and every link works
    session[RESULT_KEY] = {**summary, "queued": len(queued), "queue_down": not woken}
    return redirect(url_for(".imported"))


@bp.route("/people/import/done")
@manager_required
def imported():
    """Step three: what the import did (shown once)."""
    summary = session.pop(RESULT_KEY, None)
    if summary is None:
        return redirect(url_for(".upload"))
    return render_template("people/imported.html", summary=summary)


@bp.route("/people/links", methods=["GET", "POST"])
@manager_required
def links():
    """Issue fresh set-password links for the accounts in scope: as a CSV download, or by email."""
    form = LinksForm()
    form.cohort.choices = [(ALL_COHORTS, "Every account without a password")] + [
        (cohort_id, f"Cohort: {name}") for cohort_id, name in cohort_choices()]
    emailing = mail.is_configured(current_app.config)
    if form.validate_on_submit():
        users = accounts_needing_links(current_user, form.cohort.data or None)
        if not users:
            flash("No account there is waiting for a password.", "info")
            return redirect(url_for(".links"))
        rows = issue_link_rows(users)
        queued = mail.queue_links(current_app.config, rows) if emailing else []
        db.session.commit()
        if emailing:
            woken = jobs().deliver_soon(queued)
            return render_template("people/links_sent.html", queued=len(queued), queue_down=not woken)
        return _links_csv(rows)
    return render_template("people/links.html", form=form, emailing=emailing,
                           waiting=count_needing_links(current_user),
                           days=current_app.config["PASSWORD_LINK_DAYS"]), 422 if form.errors else 200


def _links_csv(rows: list[tuple[str, str, str]]) -> Response:
    return csv_response(f"set-password-links-{date.today().isoformat()}.csv", LINKS_HEADER, rows)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token):
    """Public: anyone holding a live link may choose the account's password, once."""
    try:
        _token, user = check_link(token)
    except InvalidLink as exc:
        return _private(render_template("people/link_invalid.html"), exc.status)
    form = SetPasswordForm(email=user.email, name=user.name)
    if form.validate_on_submit():
        try:
            use_link(token, form.password.data)
        except InvalidLink as exc:
            db.session.rollback()
            return _private(render_template("people/link_invalid.html"), exc.status)
        sign_out()  # whoever was signed in here, the next sign-in is the link's owner
        db.session.commit()
        flash("Your password is set. Sign in with your email address and the new password.", "success")
        response = redirect(url_for("auth.login"))
        remember_device(response, user.email)  # the browser holding the link is the owner's: never lock it out
        return response
    return _private(render_template("people/set_password.html", form=form, user=user), 422 if form.errors else 200)


def _private(body: str, status: int):
    """A page about a link: never cached, and the link never leaks in a Referer header."""
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
