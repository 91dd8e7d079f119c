"""Flask-Login wiring: loading users and the anonymous guest."""
from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import AnonymousUserMixin, LoginManager, current_user, logout_user

from ..extensions import db


class Guest(AnonymousUserMixin):
    """The signed-out visitor; answers the same permission questions as a user."""

    roles: set[str] = set()

    def has_role(self, *_roles: str) -> bool:
        return False


def init_login(app: Flask, manager: LoginManager) -> None:
    """Configure Flask-Login for the app."""
    from ..models import User

    manager.init_app(app)
    manager.login_view = "auth.login"
    manager.login_message = "Please sign in to continue."
    manager.login_message_category = "info"
    manager.anonymous_user = Guest
    manager.session_protection = "basic"  # "strong" would sign out phones whenever their network address changes

    @manager.user_loader
    def load_user(session_id: str):
        user_id, _, version = session_id.partition("-")
        user = db.session.get(User, int(user_id)) if user_id.isdigit() and version.isdigit() else None
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user

    app.before_request(expire_session)


def start_session() -> None:
    """Note when the sign-in happened, for the idle and absolute session limits."""
    session["signed_in_at"] = session["seen_at"] = int(time.time())


def expire_session():
    """Sign out a session idle for too long or older than the absolute limit."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now, config = int(time.time()), current_app.config
    started, seen = session.get("signed_in_at", 0), session.get("seen_at", 0)
    if now - seen > config["SESSION_IDLE_MINUTES"] * 60 or now - started > config["SESSION_MAX_HOURS"] * 3600:
        logout_user()
        session.clear()
        flash("Your session has ended. Please sign in again.", "info")
        return redirect(url_for("auth.login", next=request.full_path if request.method == "GET" else None))
    if now - seen > 60:  # refresh at most once a minute, so most responses carry no new cookie
        session["seen_at"] = now
    return None
