"""Flask-Login wiring: loading users and the anonymous guest."""
from __future__ import annotations

from flask import Flask
from flask_login import AnonymousUserMixin, LoginManager

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
    manager.session_protection = "strong"

    @manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.active else None
