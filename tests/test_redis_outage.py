"""Redis down (a real refused connection): sign-in, the dashboard and the job queue degrade, never a 500.

Limits then count in each process's memory, the report cache computes, enqueued email waits in the outbox;
each logs one warning, not one per request.
"""
import logging

import pytest
from sqlalchemy import select

from lms.extensions import db, limiter
from lms.models import OutboxMessage, User
from tests.fixtures.app import dispose, make_test_app
from tests.helpers import PASSWORD, csrf_token, sign_in, submit

LIMIT = 3  # failed sign-ins allowed per account and address in the app below


@pytest.fixture
def app_without_redis(app, database_url, closed_port):
    """The test app with REDIS_URL at a port nothing listens on, its cache on and a real (Redis) job queue.

    Built after ``app`` (which make_user uses): the one Limiter object takes the storage of the last app built.
    """
    app = make_test_app(database_url, REDIS_URL=f"redis://127.0.0.1:{closed_port}/0", REPORT_CACHE_SECONDS=60,
                        JOBS_IMMEDIATE=False, LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS=f"{LIMIT} per minute")
    yield app
    dispose(app)
    # One Limiter object serves every app of the test process; the next test's app must not start on its fallback.
    limiter._storage_dead = False


def warnings_about(caplog, text: str) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.levelno == logging.WARNING and text in record.getMessage()]


def test_sign_in_and_the_dashboard_work_and_each_outage_is_logged_once(app_without_redis, make_user, caplog):
    coordinator = make_user("coordinator")
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            client = app_without_redis.test_client()
            assert sign_in(client, coordinator, PASSWORD).status_code == 302
            assert client.get("/reports/").status_code == 200
    assert len(warnings_about(caplog, "Rate limit storage unreachable")) == 1
    assert len(warnings_about(caplog, "report cache unreachable")) == 1


def test_a_limit_still_holds_in_the_process(app_without_redis, make_user):
    user = make_user()
    client = app_without_redis.test_client()
    statuses = []
    for _ in range(LIMIT + 1):
        token = csrf_token(client.get("/login").get_data(as_text=True))
        data = {"csrf_token": token, "email": user.email, "password": "wrong password here"}
        statuses.append(client.post("/login", data=data).status_code)
    assert statuses == [422] * LIMIT + [429]


def test_a_retried_email_waits_in_the_outbox_and_the_admin_is_told(app_without_redis, make_user, caplog):
    admin = make_user("admin")
    with app_without_redis.app_context():
        message = OutboxMessage(recipient="p0@example.org", subject="Hello", body="-", status="failed")
        db.session.add(message)
        db.session.commit()
        message_id = message.id
    client = app_without_redis.test_client()
    sign_in(client, admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    with caplog.at_level(logging.WARNING):
        response = client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf_token(page)},
                               follow_redirects=True)
    assert response.status_code == 200
    assert "The job queue cannot be reached just now" in response.get_data(as_text=True)
    with app_without_redis.app_context():
        assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == message_id)) == "queued"
    assert len(warnings_about(caplog, "could not enqueue 1 message(s)")) == 1


def test_emailed_links_wait_in_the_outbox_and_the_coordinator_is_told(app_without_redis, make_user):
    app_without_redis.config.update(MAIL_SERVER="127.0.0.1", MAIL_FROM="Academy <academy@example.gov>")
    newcomer = make_user("diplomat", email="new@example.org")
    with app_without_redis.app_context():
        db.session.get(User, newcomer.id).password_hash = None  # waiting for a set-password link
        db.session.commit()
    client = app_without_redis.test_client()
    sign_in(client, make_user("coordinator"))
    response = submit(client, "/people/links", "/people/links", {"cohort": "0"})
    assert response.status_code == 200
    assert "Links queued" in response.get_data(as_text=True)
    assert "The job queue cannot be reached just now" in response.get_data(as_text=True)
    with app_without_redis.app_context():
        assert "new@example.org" in db.session.scalar(select(OutboxMessage.recipient))
