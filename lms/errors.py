"""Error pages: friendly HTML, the right status, and a clean session after a failure."""
from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from .extensions import db
from .logging import clean, log_event

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Please go back and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing at this address. It may have been moved or retired."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    413: ("Too large", "The file or form you sent is larger than allowed."),
    429: ("Too many attempts", "Too many attempts from here. Please wait a few minutes and try again."),
    500: ("Something went wrong", "The error has been logged. Please try again in a moment."),
    503: ("Briefly unavailable", "The service cannot reach its database just now. Please try again in a minute."),
}


def render_error(status: int, message: str | None = None):
    """Render the error page for ``status``."""
    title, default = MESSAGES.get(status, MESSAGES[500])
    return render_template("errors/error.html", title=title, message=message or default, status=status), status


def discard_session() -> None:
    """End the failed request's transaction, so the error page can render.

    On a connection the server has just cut (PostgreSQL stopping), ROLLBACK fails too: then the
    connection is dropped without one.
    """
    try:
        db.session.rollback()
    except DBAPIError:
        db.session().invalidate()  # the scoped session does not pass invalidate() on


def register(app: Flask) -> None:
    """Attach the error handlers to the app."""
    for status in (400, 404, 405, 413):
        app.register_error_handler(status, lambda exc, status=status: render_error(status))

    @app.errorhandler(403)
    def forbidden(_exc):
        log_event("access refused")
        return render_error(403)

    @app.errorhandler(429)
    def too_many(_exc):
        log_event("rate limited")
        return render_error(429)

    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return render_error(400, "Your form expired or was sent from elsewhere. Please reload the page and try again.")

    @app.errorhandler(500)
    def server_error(_exc):
        discard_session()
        return render_error(500)

    @app.errorhandler(DBAPIError)
    def database_unavailable(exc):
        # A database restart, a dropped connection or a full disk: say so with 503 (retry later). Any
        # other database error (a constraint, bad data) is a bug: it goes on to the logged 500 page.
        if not (exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError))):
            raise exc
        discard_session()
        g.database_unavailable = True  # the page is rendered for nobody in particular (lms/auth/session.py)
        app.logger.error("database unavailable: %s", clean(exc.orig if exc.orig is not None else exc))
        return render_error(503)
