"""Observability: JSON logs with a request id, and Prometheus metrics, for every request."""
from __future__ import annotations

from time import perf_counter

from flask import Flask, g, request

from .logs import init_logging, log_access, request_id
from .metrics import record_request, watch_pool

__all__ = ["init_observability", "watch_pool"]


def start_request() -> None:
    """Before everything else: the clock and the request id, so every log line of the request carries it."""
    context = g._get_current_object()  # one proxy lookup, not one per use
    context.request_started = perf_counter()
    context.request_id = request_id()


def finish_request(response):
    """After everything else: echo the request id, log the access line, count the request."""
    now, context = request._get_current_object(), g._get_current_object()
    duration = perf_counter() - context.request_started
    response.headers["X-Request-ID"] = context.request_id
    log_access(now, context, response, duration)
    record_request(now.endpoint, now.method, response.status_code, duration)
    return response


def init_observability(app: Flask) -> None:
    """Logging in the app's format; the request hooks first in line, so they time (nearly) all of a request."""
    init_logging(app)
    app.before_request_funcs.setdefault(None, []).insert(0, start_request)
    app.after_request_funcs.setdefault(None, []).insert(0, finish_request)  # run in reverse: first is last
