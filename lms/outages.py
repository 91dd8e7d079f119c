"""Warnings that a shared service (Redis) is down: at most one a minute per service and app, not one per request."""
from __future__ import annotations

import threading
import time

from flask import current_app

EVERY_SECONDS = 60
_LOCK = threading.Lock()


def warn_outage(service: str, message: str, *args) -> None:
    """Log ``message`` as a warning, unless ``service`` was reported down less than a minute ago."""
    last_warned = current_app.extensions.setdefault("outages", {})
    now = time.monotonic()
    with _LOCK:
        if service in last_warned and now - last_warned[service] < EVERY_SECONDS:
            return
        last_warned[service] = now
    current_app.logger.warning(message, *args)
