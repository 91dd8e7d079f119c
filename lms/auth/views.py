"""Sign in and sign out."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from .forms import LoginForm, LogoutForm
from .services import authenticate, is_safe_next

bp = Blueprint("auth", __name__)
FAILED_LOGIN = "That email and password do not match an active account."


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("learn.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data, current_app.config["PASSWORD_HASH_METHOD"])
        if user is None:
            form.password.errors.append(FAILED_LOGIN)
        else:
            session.clear()  # a fresh session at sign-in: nothing from before survives
            login_user(user)
            db.session.commit()
            target = form.next.data
            return redirect(target if is_safe_next(target) else url_for("learn.home"))
    status = 200 if not form.errors else 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
