"""Security headers on every response, and URLs that cannot reach the database with what it refuses."""
import re

from flask import Flask, abort, request
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from .auth.session import signed_in_session

MAX_ID = 2**31 - 1  # the largest value of the databases' INTEGER id columns


class DatabaseId(IntegerConverter):
    """An ``<int:...>`` URL part: a whole number an id column can hold; anything larger is no such page (404)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(url_map, fixed_digits, min, MAX_ID if max is None else max, signed)


def number_arg(name: str, default: int | None = None) -> int | None:
    """A whole number from the query string (a ``page``, a revision id), ``default`` when it is missing or
    not a number; below 1 or past what an INTEGER column holds is a bad request (400), never the
    database's overflow error (a 500)."""
    raw = request.args.get(name, "").strip()
    if not re.fullmatch(r"[-+]?\d+", raw):
        return default
    if len(raw) > len(str(MAX_ID)) + 1 or not 1 <= int(raw) <= MAX_ID:
        abort(400)
    return int(raw)


def harden_urls(app: Flask) -> None:
    """Before any route is added: bounded ids, and 404 for a NUL in the path (PostgreSQL refuses NUL in text)."""
    app.url_map.converters["int"] = DatabaseId

    @app.before_request
    def refuse_nul():
        if "\x00" in request.path:
            abort(404)

def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address, scheme and host from the headers they set.

    ProxyFix trusts only the last N entries of each X-Forwarded-* header, the ones our proxies added, so an
    address a client writes into its own X-Forwarded-For is ignored. No X-Forwarded-Prefix: the app is served
    at the root, and a client could otherwise choose the prefix of every link on its pages.
    """
    if proxies := app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

HSTS = "max-age=31536000; includeSubDomains"  # a year, as browsers' preload lists expect
# On every response unless the view set its own.
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                    "Referrer-Policy": "same-origin"}


def register(app: Flask) -> None:
    """The fixed security headers on every response, and no-store on pages about a signed-in person."""
    app.wsgi_app = SecurityHeaders(app, app.wsgi_app)

    @app.after_request
    def forbid_caching_personal_pages(response):
        # Pages about a signed-in person must not linger in shared or browser caches.
        if (signed_in_session() and request.endpoint != "static" and "Cache-Control" not in response.headers
                and current_user.is_authenticated):
            response.headers["Cache-Control"] = "no-store"
        return response


class SecurityHeaders:
    """WSGI middleware: SECURITY_HEADERS, and HSTS over HTTPS, on every response that did not set its own.

    Here they are one pass over the response's list of headers; set through Werkzeug's Headers in a request
    hook they cost a twentieth of a signed-in page.
    """

    def __init__(self, app: Flask, wsgi_app):
        self.app, self.wsgi_app = app, wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(pair for pair in SECURITY_HEADERS.items() if pair[0].lower() not in present)
            if self.app.config["SESSION_COOKIE_SECURE"] and "strict-transport-security" not in present:
                headers.append(("Strict-Transport-Security", HSTS))  # over HTTPS: never fall back to HTTP
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)
