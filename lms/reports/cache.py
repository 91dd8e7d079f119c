"""A short-lived cache of report figures, shared by every server through Redis when REDIS_URL is set.

Figures a minute old are good enough for a coordinator, and a dashboard that many open at once then
costs the database one set of aggregates a minute instead of one per view. In Redis every server shows
the same figures; without it (the embedded default) each process keeps its own (Flask-Caching's
SimpleCache). A Redis outage costs speed, not pages: the figures are then computed on every view.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, current_app
from redis.exceptions import RedisError

from ..config import REDIS_TIMEOUTS
from ..extensions import report_cache
from ..outages import warn_outage

T = TypeVar("T")


def init_app(app: Flask) -> None:
    """Give ``app`` its report cache: Redis when REDIS_URL is set, else in this process."""
    settings = app.config
    if settings["REDIS_URL"]:
        backend = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": settings["REDIS_URL"],
                   "CACHE_KEY_PREFIX": f"{settings['QUEUE_NAME']}-reports:", "CACHE_OPTIONS": REDIS_TIMEOUTS}
    else:
        backend = {"CACHE_TYPE": "SimpleCache", "CACHE_THRESHOLD": 500}  # many filter combinations: forget some
    report_cache.init_app(app, config=backend)


def cache_key(key: tuple) -> str:
    """The same text for the same figures in every process (hash() differs per process, set order too)."""
    parts = [sorted(part) if isinstance(part, (set, frozenset)) else part for part in key]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s result, reused for REPORT_CACHE_SECONDS (0 turns caching off); sets in ``key`` are fine.

    The parts of ``key`` must have a repr that names their values (numbers, text, dates, dataclasses).
    """
    seconds = current_app.config["REPORT_CACHE_SECONDS"]
    if seconds <= 0:
        return compute()
    name = cache_key(key)
    try:
        hit = report_cache.get(name)
    except (RedisError, OSError) as exc:
        warn_outage("report cache", "report cache unreachable, figures are computed on every view: %s", exc)
        return compute()
    if hit is not None:
        return hit[0]
    value = compute()
    try:
        report_cache.set(name, (value,), timeout=seconds)  # in a tuple, so a None result is a hit too
    except (RedisError, OSError) as exc:
        warn_outage("report cache", "report cache unreachable, figures are computed on every view: %s", exc)
    return value
