"""Login throttling: slow down password guessing without letting a stranger lock a diplomat out.

Three limits on failed sign-ins (successes are not counted):
- per address: many guesses from one machine (or one office behind one router);
- per account and address: one machine guessing one account;
- per account from anywhere.
The two limits on an account spare a browser where that account signed in before or set its
password through a link (it holds a signed "known device" cookie), so an attack from elsewhere,
or from the same office address, cannot keep the diplomat out of their own account; the
per-address limit still counts that browser's failures.
Counters live in Redis when REDIS_URL is set (shared by every worker and host), else in memory.
"""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer

DEVICE_COOKIE = "lms_device"
DEVICE_DAYS = 90


def init_limiter(app: Flask, limiter: Limiter, blueprint: str) -> None:
    """Flask-Limiter, with the request hooks it adds run for ``blueprint``'s requests only.

    Only the sign-in view has limits, and a decorated view checks its own (Flask-Limiter wraps it); the
    app-wide hooks would cost every other request, the liveness check included, about 0.1 ms for nothing.
    The after-request hook stays with the blueprint: it counts a failed sign-in (``deduct_when``).
    """
    registries = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    had = [list(registry.get(None, ())) for registry in registries]
    limiter.init_app(app)
    for registry, before in zip(registries, had, strict=True):
        added = [hook for hook in registry.get(None, ()) if not any(hook is old for old in before)]
        registry[None] = before
        registry.setdefault(blueprint, []).extend(added)


def per_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ADDRESS"]


def per_account_and_address() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"]


def per_account() -> str:
    return current_app.config["LOGIN_LIMIT_PER_ACCOUNT"]


def posted_email() -> str:
    """The email being tried, normalised, or '' (never echoed anywhere)."""
    return (request.form.get("email") or "").strip().lower()[:254]


def account_key() -> str:
    return f"login-account:{posted_email()}"


def account_and_address_key() -> str:
    return f"login-account-address:{posted_email()}|{get_remote_address()}"


def failed(response) -> bool:
    """Only failed sign-ins use up a limit (a success redirects)."""
    return response.status_code != 302


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def is_known_device() -> bool:
    """True when this browser signed in to (or set the password of) the account being tried before."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return False
    try:
        emails = _serializer().loads(token, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return isinstance(emails, list) and posted_email() in emails


def remember_device(response, email: str) -> None:
    """Mark this browser as one the account signs in from (kept for DEVICE_DAYS)."""
    try:
        known = _serializer().loads(request.cookies.get(DEVICE_COOKIE, ""), max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        known = []
    emails = ([email] + [e for e in known if e != email])[:5] if isinstance(known, list) else [email]
    response.set_cookie(DEVICE_COOKIE, _serializer().dumps(emails), max_age=DEVICE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
