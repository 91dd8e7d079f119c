"""Who may do what: ``can_*`` predicates and the ``role_required`` decorator."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

# Who may use each part of the site: views guard with role_required(*ROLES), templates ask can_*(user).
LEARNING_ROLES = ("diplomat", "trainer", "admin")
AUTHORING_ROLES = ("trainer", "admin")
REPORTING_ROLES = ("coordinator", "admin")


def can_learn(user) -> bool:
    """Diplomats take courses; trainers and admins open them too, to see what learners see."""
    return user.is_authenticated and user.has_role(*LEARNING_ROLES)


def can_author(user) -> bool:
    """Trainers and admins write, arrange and publish courses and quizzes in the studio."""
    return user.is_authenticated and user.has_role(*AUTHORING_ROLES)


def can_report(user) -> bool:
    """Coordinators and admins read the training reports."""
    return user.is_authenticated and user.has_role(*REPORTING_ROLES)


def landing_endpoint(user) -> str:
    """Where a signed-in person starts: their learning Home, or the dashboard for a coordinator who does not learn."""
    if not can_learn(user) and can_report(user):
        return "reports.dashboard"
    return "learn.home"


def region_scope(user) -> set[str] | None:
    """The regions a coordinator is limited to; None means every region (admins, the CLI, unscoped coordinators)."""
    if user is None or user.has_role("admin") or not user.regions:
        return None
    return set(user.regions)


def role_required(*roles: str):
    """Let the view run only for a signed-in user holding one of ``roles`` (else 401 flow or 403)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from ..extensions import login_manager
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator
