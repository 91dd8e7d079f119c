"""Security headers on every response."""
from flask import Flask, request
from flask_login import current_user

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

HSTS = "max-age=31536000; includeSubDomains"  # a year, as browsers' preload lists expect


def register(app: Flask) -> None:
    """Add the headers after every request."""

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:  # served over HTTPS: browsers must never fall back to plain HTTP
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Pages about a signed-in person must not linger in shared or browser caches.
        if current_user.is_authenticated and request.endpoint != "static" and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
