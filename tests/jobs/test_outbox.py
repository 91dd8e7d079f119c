"""Delivery: a real SMTP server goes down and comes back; every message arrives once; admins see and retry."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lms import outbox
from lms.extensions import db
from lms.jobs.delivery import deliver
from lms.models import OutboxMessage
from tests.helpers import csrf_token
from tests.reminders.conftest import at, days

T0 = at(date(2026, 6, 1))


def write(app, count: int) -> list[int]:
    with app.app_context():
        ids = [outbox.add_email(outbox.Email(f"p{n}@example.org", f"Hello {n}", "Hi"), T0) for n in range(count)]
        db.session.commit()
    return ids


def deliver_due(app, now):
    with app.app_context():
        return deliver(outbox.due_ids(now), now)


def states(app) -> list[tuple[str, int]]:
    with app.app_context():
        return list(db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts).order_by(OutboxMessage.id)))


def test_an_outage_then_recovery_delivers_everything_once(mailing_app, mail_server):
    write(mailing_app, 3)
    mail_server.stop()
    outcome = deliver_due(mailing_app, T0)
    assert len(outcome.again) == 3 and outcome.retry_at == T0.replace(minute=1)
    assert deliver_due(mailing_app, T0.replace(second=30)).again == []  # not due again before the backoff ends
    assert len(deliver_due(mailing_app, T0.replace(minute=1)).again) == 3  # second failure: wait 2 minutes
    with mailing_app.app_context():
        errors = set(db.session.scalars(select(OutboxMessage.last_error)))
    assert len(errors) == 1 and "cannot reach the mail server" in errors.pop()
    mail_server.start()
    assert len(deliver_due(mailing_app, T0.replace(minute=3)).sent) == 3
    assert deliver_due(mailing_app, T0.replace(minute=30)).sent == []
    assert sorted(subject for _to, subject in mail_server.subjects_to()) == ["Hello 0", "Hello 1", "Hello 2"]
    assert states(mailing_app) == [("sent", 3)] * 3


def test_a_claimed_message_is_not_sent_twice(mailing_app, mail_server):
    [message_id] = write(mailing_app, 1)
    with mailing_app.app_context():
        assert [m.id for m in outbox.claim([message_id], T0)] == [message_id]
        db.session.commit()
        assert outbox.claim([message_id], T0) == []  # a second worker, or a duplicate job, gets nothing
        assert deliver([message_id], T0).sent == []
        db.session.rollback()
    assert mail_server.received == []


def test_out_of_attempts_fails_and_an_admin_retries(mailing_app, mail_server, client, make_user, login):
    mailing_app.config["MAIL_MAX_ATTEMPTS"] = 2
    [message_id] = write(mailing_app, 1)
    mail_server.stop()
    deliver_due(mailing_app, T0)
    assert deliver_due(mailing_app, T0 + days(1)).failed == [message_id]
    assert states(mailing_app) == [("failed", 2)]
    login(make_user("admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "0 queued, 1 failed, 0 sent" in page and "Retry message" in page
    mail_server.start()
    response = client.post(f"/admin/outbox/{message_id}/retry", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    assert states(mailing_app) == [("sent", 1)]  # the tests' queue runs the job at once
    assert mail_server.subjects_to() == [("p0@example.org", "Hello 0")]
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "0 queued, 0 failed, 1 sent" in page


def test_without_mail_settings_messages_wait_queued(app):
    write(app, 1)
    assert deliver_due(app, T0 + days(1)).sent == []
    assert states(app) == [("queued", 0)]
