"""The admin's user pages: list and search, roles, deactivate and reactivate, a new set-password link."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import role_required
from ..certificates import certificates_of
from ..certificates.forms import RevokeForm
from ..extensions import db
from ..models import User
from ..security import number_arg
from .forms import ActionForm, RolesForm, SearchForm
from .manage import AdminError, change_roles, deactivate, find_users, reactivate
from .tokens import issue_link, link_url

bp = Blueprint("admin", __name__, url_prefix="/admin")
admin_required = role_required("admin")


@bp.route("/users")
@admin_required
def users():
    """Every account, by email, a page at a time; optionally filtered by a search."""
    form = SearchForm(request.args)
    query = (form.q.data or "") if form.validate() else ""
    page = find_users(query, number_arg("page", 1))
    return render_template("admin/users.html", form=form, page=page, query=query)


@bp.route("/users/<int:user_id>")
@admin_required
def user(user_id):
    """One account, with the forms that change it."""
    return _user_page(_get_user(user_id))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@admin_required
def roles(user_id):
    """Replace an account's roles."""
    account = _get_user(user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            change_roles(current_user, account, form.roles.data)
        except AdminError as exc:
            db.session.rollback()
            form.roles.errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Roles of {account.email} saved: {', '.join(sorted(account.roles))}.", "success")
            return redirect(url_for(".user", user_id=account.id))
    return _user_page(account, roles_form=form, status=422)


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate_user(user_id):
    """Stop an account signing in; its history stays."""
    account = _get_user(user_id)
    if ActionForm().validate_on_submit():
        try:
            deactivate(current_user, account)
        except AdminError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(f"{account.email} is deactivated: they cannot sign in. Their history is kept.", "success")
    return redirect(url_for(".user", user_id=account.id))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate_user(user_id):
    """Let a deactivated account sign in again."""
    account = _get_user(user_id)
    if ActionForm().validate_on_submit():
        reactivate(account)
        db.session.commit()
        flash(f"{account.email} can sign in again.", "success")
    return redirect(url_for(".user", user_id=account.id))


@bp.route("/users/<int:user_id>/link", methods=["POST"])
@admin_required
def new_link(user_id):
    """Issue a set-password link and show it once."""
    account = _get_user(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".user", user_id=account.id))
    if not account.active:
        flash("Reactivate the account first: a deactivated account cannot use a link.", "error")
        return redirect(url_for(".user", user_id=account.id))
    link = link_url(issue_link(account))
    db.session.commit()
    return _user_page(account, link=link)


def _get_user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _user_page(account: User, roles_form: RolesForm | None = None, link: str | None = None, status: int = 200):
    roles_form = roles_form or RolesForm(formdata=None, roles=sorted(account.roles))
    return render_template("admin/user.html", account=account, roles_form=roles_form, action=ActionForm(formdata=None),
                           link=link, days=current_app.config["PASSWORD_LINK_DAYS"],
                           is_self=account.id == current_user.id, certificates=certificates_of(account.id),
                           revoke_form=RevokeForm(formdata=None)), status
