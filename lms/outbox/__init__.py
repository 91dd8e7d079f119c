"""The outbox: a message is written in the transaction that caused it, and delivered later by a job.

Services here ``add``/``flush``; the caller commits. Delivery is a claim (attempts + 1 and a lease, so a
second worker leaves the message alone), then a send, then the outcome: sent, or another attempt after an
exponential backoff, or failed after MAIL_MAX_ATTEMPTS (admins retry failed ones on /admin/outbox).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update

from ..database.dialect import upsert_statement
from ..extensions import db
from ..models.outbox import EMAIL, FAILED, QUEUED, SENT, OutboxMessage

LEASE = timedelta(minutes=10)  # a worker that dies mid-send releases its messages after this
BACKOFF = timedelta(minutes=1)  # the first retry; each later one waits twice as long
MAX_BACKOFF = timedelta(hours=6)
ERROR_CHARS = 1000


@dataclass(frozen=True)
class Email:
    """An email before it is written: the To header (``Name <address>``), subject and plain-text body."""

    recipient: str
    subject: str
    body: str


def _values(email: Email, now: datetime, dedupe_key: str | None) -> dict:
    return {"kind": EMAIL, "recipient": email.recipient, "subject": email.subject, "body": email.body,
            "dedupe_key": dedupe_key, "status": QUEUED, "attempts": 0, "next_attempt_at": now, "created_at": now}


def add_email(email: Email, now: datetime, dedupe_key: str | None = None) -> int | None:
    """Write one email; with a ``dedupe_key`` already written, nothing (ON CONFLICT DO NOTHING) and None."""
    dialect = db.session.get_bind().dialect.name
    statement = upsert_statement(dialect, OutboxMessage, ["dedupe_key"], _values(email, now, dedupe_key))
    return db.session.scalar(statement.returning(OutboxMessage.id))


def add_emails(emails: Iterable[Email], now: datetime) -> list[int]:
    """Write several emails without dedupe keys (set-password links); their ids, in order."""
    rows = [_values(email, now, None) for email in emails]
    if not rows:
        return []
    # One INSERT ... RETURNING for many rows (SQLAlchemy's insertmanyvalues), not an ORM object each.
    return list(db.session.scalars(insert(OutboxMessage).returning(OutboxMessage.id, sort_by_parameter_order=True),
                                   rows))


def claim(ids: list[int], now: datetime) -> list[OutboxMessage]:
    """The messages among ``ids`` that are queued and due, now leased to this caller (attempts + 1)."""
    if not ids:
        return []
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
        .values(attempts=OutboxMessage.attempts + 1, next_attempt_at=now + LEASE)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return []
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
        .execution_options(populate_existing=True)))


def record_sent(message: OutboxMessage, now: datetime) -> None:
    """The server accepted the message."""
    message.status, message.sent_at, message.last_error = SENT, now, None


def record_failure(message: OutboxMessage, error: str, now: datetime, max_attempts: int,
                   permanent: bool = False) -> None:
    """Another attempt after a backoff, or failed for good when refused or out of attempts."""
    message.last_error = error[:ERROR_CHARS]
    if permanent or message.attempts >= max_attempts:
        message.status = FAILED
    else:
        message.next_attempt_at = now + backoff(message.attempts)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure: 1, 2, 4, ... minutes, at most 6 hours."""
    return min(BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def due_ids(now: datetime, limit: int = 5000) -> list[int]:
    """Queued messages whose next attempt has come (for the sweep that re-enqueues lost jobs)."""
    return list(db.session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)))


def retry(message: OutboxMessage, now: datetime) -> None:
    """Queue a failed message again, with a fresh set of attempts."""
    if message.status != FAILED:
        raise ValueError("only a failed message can be retried")
    message.status, message.attempts, message.next_attempt_at = QUEUED, 0, now


def counts() -> dict[str, int]:
    """Messages by status: queued, sent and failed (zero where none)."""
    found = dict(db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    return {status: found.get(status, 0) for status in (QUEUED, FAILED, SENT)}


def waiting(limit: int = 200) -> list[OutboxMessage]:
    """Failed and queued messages, failed first, oldest first: what an admin may need to act on."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_((FAILED, QUEUED)))
        .order_by(OutboxMessage.status != FAILED, OutboxMessage.id).limit(limit)))


def recently_sent(limit: int = 50) -> list[OutboxMessage]:
    """The latest messages delivered."""
    return list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == SENT).order_by(OutboxMessage.id.desc()).limit(limit)))
