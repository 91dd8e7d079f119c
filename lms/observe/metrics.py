"""Prometheus metrics: requests per route, the database pool, and the job queue read at scrape time.

Under gunicorn, deploy/gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR before any worker imports
prometheus_client: each worker then writes its values to files there and a scrape, answered by any
worker, sums them all. Without it (the test client, ``flask run``) the process's own registry answers.
"""
from __future__ import annotations

import logging
import os

from flask import Flask
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..jobs import jobs

log = logging.getLogger(__name__)

# Labelled by endpoint name, never the path: /courses/<slug>/... would make a series per page.
REQUESTS = Counter("lms_http_requests", "Requests answered, by endpoint, method and status",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("lms_http_request_duration_seconds", "Time to answer a request, by endpoint", ["endpoint"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
# livesum: the sum over the workers now running (a dead worker's connections are gone with it).
POOL_CHECKED_OUT = Gauge("lms_db_pool_checked_out", "Database connections in use", multiprocess_mode="livesum")
POOL_SIZE = Gauge("lms_db_pool_size", "Database connections the pools keep", multiprocess_mode="livesum")
UNMATCHED = "unmatched"  # the endpoint label of a request no route matched (404, 405)


def record_request(endpoint: str | None, method: str, status: int, duration: float) -> None:
    """Count one answered request and its duration."""
    key = (endpoint or UNMATCHED, method, status)
    if (series := _series.get(key)) is None:
        series = _series[key] = (REQUESTS.labels(key[0], method, str(status)), LATENCY.labels(key[0]))
    series[0].inc()
    series[1].observe(duration)


# The labelled series by (endpoint, method, status): labels() validates and locks on every call. Bounded by
# the routes, the methods and the statuses the app answers with.
_series: dict[tuple, tuple] = {}


def watch_pool(engine: Engine) -> None:
    """Keep the pool gauges up to date from the engine's checkout and checkin events."""
    size = engine.pool.size() if callable(getattr(engine.pool, "size", None)) else 1
    POOL_SIZE.set(size)
    event.listen(engine, "checkout", lambda *_args: POOL_CHECKED_OUT.inc())
    event.listen(engine, "checkin", lambda *_args: POOL_CHECKED_OUT.dec())


class QueueCollector:
    """The job queue's backlog, read when Prometheus scrapes (one Redis or SQLite read, not one per request)."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        up = GaugeMetricFamily("lms_job_queue_up", "1 when the job queue answered this scrape, else 0")
        try:
            with self.app.app_context():
                pending = jobs().huey.pending_count()
        except Exception as exc:  # Redis down or the queue file unreadable: say so, never fail the scrape
            log.warning("job queue unreadable for metrics: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("lms_job_queue_pending", "Jobs waiting for the worker", value=pending)


def exposition(app: Flask) -> bytes:
    """The metrics in Prometheus' text format: every worker's when multiprocess, then the queue's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    at_scrape = CollectorRegistry()
    at_scrape.register(QueueCollector(app))
    return generate_latest(registry) + generate_latest(at_scrape)
