"""A form posted after its sender's session ended, kept in the session until the same page is opened again.

Only views marked with ``keeps_posted_form`` keep their posts (a quiz's answers, never a password). The
fields wait in the session cookie, so they are bounded; sign-in carries them into the fresh session.
"""
from __future__ import annotations

from functools import wraps

from flask import current_app, flash, request, session
from flask_login import current_user
from werkzeug.datastructures import MultiDict

KEPT = "kept_form"
MAX_KEPT_CHARS = 2500  # a session cookie holds about 4 kB; answers past this are left to the browser's copy


def keeps_posted_form(view):
    """Mark a view whose POSTs survive an ended session, and keep those of a signed-out visitor."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if request.method == "POST" and not current_user.is_authenticated:
            keep_posted_form(None)
        return view(*args, **kwargs)
    wrapped.keeps_posted_form = True
    return wrapped


def posts_to_keeping_view() -> bool:
    """Whether this request is a POST to a view marked with ``keeps_posted_form``."""
    view = current_app.view_functions.get(request.endpoint or "")
    return request.method == "POST" and getattr(view, "keeps_posted_form", False)


def keep_posted_form(user_id: int | None) -> None:
    """Keep this POST's fields (but its CSRF token), up to MAX_KEPT_CHARS, for this address and this user."""
    fields, size = [], 0
    for name, value in request.form.items(multi=True):
        if name == "csrf_token" or size + len(name) + len(value) > MAX_KEPT_CHARS:
            continue  # a field too long to keep leaves room for the shorter ones after it
        size += len(name) + len(value)
        fields.append([name, value])
    session[KEPT] = {"path": request.path, "user": user_id, "fields": fields}
    flash("Sign in again: what you sent is kept and shown once you are back.", "info")


def carry_kept_form(user_id: int) -> dict | None:
    """The kept form to put back into a fresh session at sign-in: only the signing-in user's (or a visitor's)."""
    kept = session.get(KEPT)
    if not isinstance(kept, dict) or kept.get("user") not in (None, user_id):
        return None
    return kept


def take_kept_form(path: str) -> MultiDict | None:
    """The fields kept for ``path``, removed from the session; None when there are none."""
    kept = session.get(KEPT)
    if not isinstance(kept, dict) or kept.get("path") != path:
        return None
    session.pop(KEPT)
    return MultiDict([tuple(field) for field in kept.get("fields", [])])
