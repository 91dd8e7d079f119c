"""Log lines: one JSON object each (or plain text for a developer), with the request's id on every line.

Every logger under ``lms`` (the app's, the jobs', log_event's) writes through one handler on the ``lms``
logger. python-json-logger does the JSON: it is a stdlib ``logging.Formatter``, kept up to date, so the
same format serves gunicorn's own log (deploy/gunicorn.conf.py) with no code of ours.
"""
from __future__ import annotations

import logging
import re
import secrets

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream
from pythonjsonlogger.json import JsonFormatter

from ..logging import clean

LOGGER = "lms"
ACCESS_LOGGER = "lms.access"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# deploy/gunicorn.conf.py repeats these three for gunicorn's log (it must not import the app).
JSON_FIELDS = "{message}{levelname}{name}"
RENAMED = {"levelname": "level", "name": "logger"}
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
access_log = logging.getLogger(ACCESS_LOGGER)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the current request's id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id") if has_request_context() else None
        return True


def formatter(log_format: str) -> logging.Formatter:
    """JSON lines (time, level, logger, message, request_id and any extra fields), or readable text."""
    if log_format == "text":
        return logging.Formatter(TEXT_FORMAT)
    return JsonFormatter(JSON_FIELDS, style="{", rename_fields=RENAMED, timestamp="time")


def shared_handler() -> logging.Handler:
    """The one handler on the ``lms`` logger, added once per process (every test builds a new app)."""
    logger = logging.getLogger(LOGGER)
    for handler in logger.handlers:
        if any(isinstance(f, RequestIdFilter) for f in handler.filters):
            return handler
    # Flask's stream: gunicorn's error log in a request, stderr outside one.
    handler = logging.StreamHandler(wsgi_errors_stream)
    handler.addFilter(RequestIdFilter())
    logger.removeHandler(default_handler)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # the access lines are INFO
    return handler


def init_logging(app: Flask) -> None:
    """Log through the shared handler in the app's LOG_FORMAT."""
    shared_handler().setFormatter(formatter(app.config["LOG_FORMAT"]))


def request_id() -> str:
    """The incoming X-Request-ID when it is sane (a proxy's id ties its log to ours), else a new one."""
    given = request.headers.get("X-Request-ID")
    if given and SANE_REQUEST_ID.fullmatch(given):
        return given
    return secrets.token_hex(8)


def log_access(response, duration: float) -> None:
    """One line per request: what was asked, the answer, how long it took, from where and by whom."""
    user = g.get("_login_user")  # never loads the user: only whoever the request already loaded
    path = request.path
    access_log.info(
        "%s %s %s", request.method, path if path.isprintable() else clean(path), response.status_code,
        extra={"method": request.method, "path": path, "status": response.status_code,
               "duration_ms": round(duration * 1000, 2), "remote_addr": request.remote_addr,
               "user_id": getattr(user, "id", None)})
