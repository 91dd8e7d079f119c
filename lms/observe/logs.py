"""Log lines: one JSON object each (or plain text for a developer), with the request's id on every line.

Every logger under ``lms`` (the app's, the jobs', log_event's) writes through one handler on the ``lms``
logger. python-json-logger does the JSON (with orjson): it is a stdlib ``logging.Formatter``, kept up to date,
so the same format serves gunicorn's own log (deploy/gunicorn.conf.py) with no code of ours.
"""
from __future__ import annotations

import logging
import re
import secrets
import sys

from flask import Flask, Request, g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.orjson import OrjsonFormatter

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
    """Stamps each record with the current request's id (None outside a request), unless it carries one."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id") if has_request_context() else None
        return True


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (gunicorn's log; a test's capture), looked up cheaply.

    Flask's own ``wsgi_errors_stream`` proxy costs a context lookup on each of a line's several uses.
    """

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


def formatter(log_format: str) -> logging.Formatter:
    """JSON lines (time, level, logger, message, request_id and any extra fields), or readable text."""
    if log_format == "text":
        return logging.Formatter(TEXT_FORMAT)
    return OrjsonFormatter(JSON_FIELDS, style="{", rename_fields=RENAMED, timestamp="time")


def shared_handler() -> logging.Handler:
    """The one handler on the ``lms`` logger, added once per process (every test builds a new app)."""
    logger = logging.getLogger(LOGGER)
    for handler in logger.handlers:
        if any(isinstance(f, RequestIdFilter) for f in handler.filters):
            return handler
    handler = StderrHandler()
    handler.addFilter(RequestIdFilter())
    logger.removeHandler(default_handler)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # the access lines are INFO
    return handler


def init_logging(app: Flask) -> None:
    """Log through the shared handler in the app's LOG_FORMAT; the job queue's (Huey's) lines too."""
    handler = shared_handler()
    handler.setFormatter(formatter(app.config["LOG_FORMAT"]))
    huey = logging.getLogger("huey")
    if handler not in huey.handlers:
        huey.addHandler(handler)


def request_id() -> str:
    """The incoming X-Request-ID when it is sane (a proxy's id ties its log to ours), else a new one."""
    given = request.headers.get("X-Request-ID")
    if given and SANE_REQUEST_ID.fullmatch(given):
        return given
    return secrets.token_hex(8)


def log_access(now: Request, context, response, duration: float) -> None:
    """One line per request: what was asked, the answer, how long it took, from where and by whom.

    ``now`` and ``context`` are the request and ``g`` themselves, not their proxies (each proxy use costs).
    """
    user = getattr(context, "_login_user", None)  # never loads the user: only whoever the request loaded
    path, method, status = now.path, now.method, response.status_code
    access_log.info(
        "%s %s %s", method, path if path.isprintable() else clean(path), status,
        extra={"method": method, "path": path, "status": status, "duration_ms": round(duration * 1000, 2),
               "remote_addr": now.remote_addr, "user_id": getattr(user, "id", None),
               "request_id": context.request_id})
