"""Rendered learner pages, kept by each worker and keyed by everything they show.

A lesson page is the lesson, where the learner stands in its module, and the menu of their roles; a
course page lists every lesson with the learner's progress. Learners at the same point, and a learner
reloading a page, get the same HTML, so a page is rendered once per distinct key (which must determine
everything the template shows) and reused until the content or the learner's progress changes the key.

A page carries one thing of its own: the session's CSRF token in its forms. It is rendered as a
placeholder and filled in for each response (a string replace, not a template).
"""
from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable

from flask import current_app, g, render_template, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

# Entries per worker in each store: about 20 MB of pages at most (a page is about 10 kB), and far less of tokens.
LIMIT = 2000
STORE = "page_cache"  # in app.extensions
TOKENS = "csrf_tokens"  # in app.extensions: signed CSRF tokens by (signing key, session's secret)
# Where a kept page's CSRF token goes: random per process, so no lesson text can hold it by chance.
CSRF_PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"
CSRF_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
CSRF_FIELD = "csrf_token"  # where Flask-WTF keeps the request's token in g (WTF_CSRF_FIELD_NAME's default)


def page(template: str, key: Hashable, context: Callable[[], dict]) -> str | bytes:
    """The signed-in user's page ``template``, reused for the same ``key`` and the same roles (the menu).

    ``context`` makes the template's variables; it is called only when the page is rendered. A page with a
    message to show once (a flash) is rendered for this response alone.
    """
    if session.get("_flashes"):
        return render_template(template, **context())
    store = current_app.extensions.setdefault(STORE, {})
    full_key = (template, key, frozenset(current_user.roles))
    html = store.get(full_key)
    if html is None:
        html = _keep(store, full_key, _render_without_token(template, context()).encode())  # kept as sent
    return html.replace(CSRF_PLACEHOLDER_BYTES, csrf_token().encode())


def csrf_token() -> str:
    """The session's CSRF token, as Flask-WTF's ``generate_csrf`` makes it, signed once per session and worker.

    Flask-WTF signs the session's secret afresh for each request, which cost a twentieth of a kept page. Its
    tokens carry a timestamp that is checked only under WTF_CSRF_TIME_LIMIT; with no limit (our setting) the
    first token signed for a session's secret stays valid as long as the session, so it is kept and reused.
    """
    config = current_app.config
    secret = session.get(CSRF_FIELD)
    if secret is None or config["WTF_CSRF_TIME_LIMIT"] is not None or g.get(CSRF_FIELD):
        return generate_csrf()
    tokens = current_app.extensions.setdefault(TOKENS, {})
    key = (config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, secret)
    token = tokens.get(key)
    if token is None:
        token = _keep(tokens, key, generate_csrf())
    setattr(g, CSRF_FIELD, token)  # where generate_csrf looks first, for any other form on the page
    return token


def _keep(store: dict, key: Hashable, value):
    """Keep ``value`` under ``key`` in a per-worker ``store`` of at most LIMIT entries (it starts over when full)."""
    if len(store) >= LIMIT:
        store.clear()
    store[key] = value
    return value


def _render_without_token(template: str, context: dict) -> str:
    """``template`` rendered with the placeholder for the CSRF token (Flask-WTF hands out the one it finds in g)."""
    token = g.pop(CSRF_FIELD, None)  # a token made earlier in this request must not be kept for others
    setattr(g, CSRF_FIELD, CSRF_PLACEHOLDER)
    try:
        return str(render_template(template, **context))
    finally:
        g.pop(CSRF_FIELD)
        if token is not None:
            setattr(g, CSRF_FIELD, token)
