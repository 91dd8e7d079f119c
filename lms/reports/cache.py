"""A short-lived cache of report figures, per app process.

Figures a minute old are good enough for a coordinator, and a dashboard that many open
at once then costs the database one set of aggregates a minute instead of one per view.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
_LOCK = threading.Lock()


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s result, reused for REPORT_CACHE_SECONDS (0 turns caching off); sets in ``key`` are fine."""
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    if seconds <= 0:
        return compute()
    key = tuple(tuple(sorted(part)) if isinstance(part, (set, frozenset)) else part for part in key)
    store = current_app.extensions.setdefault("report_cache", {})
    now = time.monotonic()
    with _LOCK:
        hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    with _LOCK:
        store[key] = (now + seconds, value)
        if len(store) > 500:  # many filter combinations: forget the oldest entries
            for stale in sorted(store, key=lambda k: store[k][0])[:250]:
                del store[stale]
    return value
