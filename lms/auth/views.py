"""Sign in and sign out."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..logging import log_event
from .forms import LoginForm, LogoutForm
from .kept import KEPT, carry_kept_form
from .permissions import landing_endpoint
from .services import authenticate, is_safe_next
from .session import sign_in, sign_out
from .throttle import (
    account_and_address_key,
    account_key,
    failed,
    is_known_device,
    per_account,
    per_account_and_address,
    per_address,
    remember_device,
)

bp = Blueprint("auth", __name__)
FAILED_LOGIN = "That email and password do not match an active account."


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(per_address, methods=["POST"], deduct_when=failed)
@limiter.limit(per_account_and_address, methods=["POST"], key_func=account_and_address_key, deduct_when=failed,
               exempt_when=is_known_device)
@limiter.limit(per_account, methods=["POST"], key_func=account_key, deduct_when=failed, exempt_when=is_known_device)
def login():
    if current_user.is_authenticated:
        return redirect(url_for(landing_endpoint(current_user)))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, current_app.config["PASSWORD_HASH_METHOD"])
        if user is None:
            log_event("login failed", email=form.email.data)
            form.password.errors.append(FAILED_LOGIN)
        else:
            kept = carry_kept_form(user.id)
            session.clear()  # a fresh session at sign-in: nothing from before survives but a form kept for this user
            sign_in(user)
            if kept:
                session[KEPT] = kept
            db.session.commit()
            target = form.next.data
            response = redirect(target if is_safe_next(target) else url_for(landing_endpoint(user)))
            remember_device(response, user.email)
            return response
    status = 200 if not form.errors else 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        sign_out()
        db.session.commit()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
