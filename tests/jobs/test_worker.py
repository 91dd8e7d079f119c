"""The worker drains a real queue (Huey on SQLite, and on Redis); the worker and send-reminders commands."""
from __future__ import annotations

import signal
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms import clock, outbox
from lms.enrolment import extend
from lms.extensions import db
from lms.jobs import jobs
from lms.models import Course, OutboxMessage, User
from tests.fixtures.app import dispose, make_test_app
from tests.fixtures.workers import RUN, WORKER

from .test_outbox import T0

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@pytest.fixture
def queued_app(app, database_url, tmp_path, monkeypatch, mail_server):
    """``queued_app(**settings)``: an app on the test's database with a real queue (no immediate mode),
    its SQLite queue file in this test's folder and its queue name its own; it sends mail to ``mail_server``."""
    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
    built = []

    def build(**settings):
        name = f"lms-test-{RUN}-{WORKER}-{uuid.uuid4().hex[:8]}"
        settings = {"JOBS_IMMEDIATE": False, "QUEUE_NAME": name, **mail_server.settings(), **settings}
        built.append(make_test_app(database_url, **settings))
        return built[-1]

    yield build
    for other in built:
        dispose(other)


def enqueue(app, count: int) -> list[int]:
    """Write ``count`` emails and enqueue their delivery, as a page does after its commit."""
    with app.app_context():
        ids = [outbox.add_email(outbox.Email(f"p{n}@example.org", f"Hello {n}", "Hi"), T0) for n in range(count)]
        db.session.commit()
        jobs().deliver_soon(ids)
    return ids


def sent_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(OutboxMessage.status == "sent"))


def drain_with_consumer(app, expected: int) -> None:
    """Run Huey's consumer (two threads) until ``expected`` messages are sent, then stop it gracefully."""
    huey = jobs_of(app).huey
    assert huey.pending_count() >= 1
    saved = {number: signal.getsignal(number) for number in SIGNALS}
    consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, initial_delay=0.05,
                                    max_delay=0.1)
    consumer.start()  # sets signal handlers: the test's own come back afterwards
    try:
        deadline = time.monotonic() + 20
        while sent_count(app) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        consumer.stop(graceful=True)
        for number, handler in saved.items():
            signal.signal(number, handler)
    assert sent_count(app) == expected


def jobs_of(app):
    with app.app_context():
        return jobs()


def test_the_worker_drains_the_sqlite_queue(queued_app, mail_server):
    app = queued_app()
    assert type(jobs_of(app).huey).__name__ == "SqliteHuey"
    enqueue(app, 60)  # two jobs of up to 50
    assert mail_server.received == []  # nothing is sent in the "request"
    drain_with_consumer(app, 60)
    assert len(mail_server.received) == 60


def test_the_worker_drains_the_redis_queue(queued_app, mail_server, redis_keys):
    url, prefix = redis_keys
    app = queued_app(REDIS_URL=url, QUEUE_NAME=prefix)
    assert type(jobs_of(app).huey).__name__ == "PriorityRedisHuey"
    enqueue(app, 3)
    drain_with_consumer(app, 3)
    assert sorted(message["To"] for message in mail_server.received) == [f"p{n}@example.org" for n in range(3)]


def test_the_worker_command_in_burst_mode_delivers_and_exits(queued_app, mail_server):
    app = queued_app()
    enqueue(app, 2)
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert "queue empty" in result.output and len(mail_server.received) == 2


def test_a_lost_job_is_found_by_the_sweep(queued_app, mail_server):
    app = queued_app()
    with app.app_context():
        outbox.add_email(outbox.Email("lost@example.org", "Lost job", "Hi"), T0)  # written, never enqueued
        db.session.commit()
    assert app.test_cli_runner().invoke(args=["worker", "--burst"]).exit_code == 0
    assert mail_server.subjects_to() == [("lost@example.org", "Lost job")]


def test_the_worker_command_refuses_immediate_mode(runner):
    result = runner.invoke(args=["worker"])
    assert result.exit_code == 1 and "JOBS_IMMEDIATE" in result.output


def test_send_reminders_queues_them_and_warns_once_without_public_url(queued_app, round_, mail_server):
    app = queued_app()
    with app.app_context():  # amy's due date moves to 3 days from the real today: her 7-day reminder is due
        extend(db.session.get(User, round_["amy"]), db.session.get(Course, round_["course"]),
               clock.today() + timedelta(days=3))
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.count("PUBLIC_URL is not set") == 1
    # Ben and Dan are long overdue (past their last reminder); each coordinator gets a digest.
    assert "Queued 3 reminder(s) and digest(s)" in result.output
    assert "Queued 0 reminder(s)" in runner.invoke(args=["send-reminders"]).output
    assert mail_server.received == []  # queued for the worker, not sent by the command
    assert runner.invoke(args=["worker", "--burst"]).exit_code == 0
    assert sorted(message["To"] for message in mail_server.received) == [
        "Africa <africa@example.org>", "Amy <amy@example.org>", "Coord <coord@example.org>"]
