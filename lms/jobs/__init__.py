"""The job queue (Huey): on Redis when REDIS_URL is set, else on a SQLite file in the instance folder.

Huey was chosen because it runs on both: production shares Redis between hosts, while the embedded
default (``make run``, SQLite) needs no other service. RQ needs Redis, so it cannot serve the embedded
default. Each app gets its own Huey instance, built on first use (a page that enqueues nothing never
opens the queue); its tasks push the app's context. ``JOBS_IMMEDIATE`` runs tasks at once, in-process
(Huey's immediate mode), for tests.

Tasks carry only outbox ids: the outbox is the record, the queue a wake-up call. A lost job costs
nothing, because the sweep re-enqueues every queued message whose next attempt has come.
"""
from __future__ import annotations

import os
from functools import cached_property

from flask import Flask, current_app
from huey import MemoryHuey, PriorityRedisHuey, SqliteHuey, crontab
from redis import ConnectionPool

from .. import clock, outbox
from ..config import REDIS_TIMEOUTS
from ..extensions import db
from ..outages import warn_outage
from .delivery import deliver, write_due

BATCH = 50  # messages per delivery job: one SMTP connection each
SWEEP = crontab(minute="*/5")
REMINDERS = crontab(minute="0")  # hourly: a due reminder waits at most an hour
QUEUE_DOWN = "The job queue cannot be reached just now: the email waits in the outbox and goes out once it is back."


class Jobs:
    """One app's queue and tasks."""

    def __init__(self, app: Flask):
        self.app = app

    @cached_property
    def huey(self):
        """The Huey instance, with this app's tasks registered."""
        huey = _build_huey(self.app)
        app = self.app

        @huey.task(name="deliver")
        def deliver_task(ids: list[int]) -> None:
            with app.app_context():
                outcome = deliver(ids, clock.now())
                if outcome.again:  # wake up when the backoff ends; the sweep is the safety net
                    self.deliver_task.schedule((outcome.again,), eta=outcome.retry_at)

        @huey.periodic_task(SWEEP, name="sweep")
        def sweep_task() -> None:
            with app.app_context():
                self.sweep()

        @huey.periodic_task(REMINDERS, name="send_reminders")
        def reminders_task() -> None:
            with app.app_context():
                self.send_reminders()

        self.deliver_task, self.sweep_task, self.reminders_task = deliver_task, sweep_task, reminders_task
        return huey

    def deliver_soon(self, ids: list[int]) -> bool:
        """Enqueue delivery of ``ids`` (after the commit that wrote them); False when the queue is unreachable.

        A queue that is down loses nothing: the messages wait in the outbox, and the sweep enqueues them.
        """
        self.huey  # noqa: B018  (registers the tasks)
        try:
            for start in range(0, len(ids), BATCH):
                self.deliver_task(ids[start:start + BATCH])
        except Exception as exc:  # Redis down, or the queue's SQLite file locked: never the user's request's fault
            warn_outage("job queue", "could not enqueue %d message(s), the sweep will: %s", len(ids), exc)
            return False
        return True

    def sweep(self) -> int:
        """Enqueue every queued message whose next attempt has come; how many."""
        ids = outbox.due_ids(clock.now())
        db.session.rollback()  # end the read before the jobs run (immediate mode runs them here)
        self.deliver_soon(ids)
        return len(ids)

    def send_reminders(self, now=None) -> int:
        """Write what is due now (reminders, digests), then enqueue its delivery; how many were written."""
        ids = write_due(now or clock.now())
        self.deliver_soon(ids)
        return len(ids)


def _build_huey(app: Flask):
    settings, name = app.config, app.config["QUEUE_NAME"]
    if settings["JOBS_IMMEDIATE"]:
        return MemoryHuey(name, immediate=True, results=False)
    if settings["REDIS_URL"]:
        # No socket_timeout: the worker's blocking reads wait longer than that. A connect timeout stops a request
        # that enqueues from hanging on an unreachable Redis.
        pool = ConnectionPool.from_url(settings["REDIS_URL"],
                                       socket_connect_timeout=REDIS_TIMEOUTS["socket_connect_timeout"])
        # clean_name=False keeps the name's dashes, so the keys are exactly huey.*.<QUEUE_NAME>
        return PriorityRedisHuey(name, connection_pool=pool, results=False, clean_name=False)
    return SqliteHuey(name, filename=os.path.join(app.instance_path, f"{name}-queue.sqlite3"), results=False)


def init_app(app: Flask) -> None:
    """Give the app its (lazily built) queue."""
    app.extensions["jobs"] = Jobs(app)


def jobs() -> Jobs:
    """The current app's queue."""
    return current_app.extensions["jobs"]
