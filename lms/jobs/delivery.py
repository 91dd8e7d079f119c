"""Delivering outbox messages and the scheduled runs: the job bodies, as plain functions of ``now``.

These commit (like a CLI command): a claim is committed before the server is asked, and each outcome
right after its send, so a worker that dies mid-batch never sends a recorded message again.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from .. import outbox, reminders
from ..extensions import db
from ..models.outbox import QUEUED
from ..outbox import smtp

MAIL_ERRORS = (OSError, smtplib.SMTPException)


@dataclass
class Outcome:
    """What one delivery run did: ids sent, ids to try again (and when), ids failed for good."""

    sent: list[int] = field(default_factory=list)
    again: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry_at: datetime | None = None


def deliver(ids: list[int], now: datetime) -> Outcome:
    """Send the due, queued messages among ``ids`` over one connection, recording each outcome."""
    config, outcome = current_app.config, Outcome()
    if not smtp.is_configured(config):
        return outcome  # they wait, queued, until MAIL_SERVER and MAIL_FROM are set
    messages = outbox.claim(ids, now)
    db.session.commit()
    if not messages:
        return outcome
    try:
        connection = smtp.connect(config)
    except MAIL_ERRORS as exc:
        _fail(messages, f"cannot reach the mail server: {exc}", now, outcome)
        return outcome
    with connection:
        for index, message in enumerate(messages):
            try:
                smtp.send(connection, smtp.build(config, message.recipient, message.subject, message.body,
                                                 message.id))
            except smtp.Refused as exc:
                _fail([message], str(exc), now, outcome, permanent=True)
            except MAIL_ERRORS as exc:  # the connection is gone: the rest wait for their next attempt
                _fail(messages[index:], str(exc) or type(exc).__name__, now, outcome)
                break
            else:
                outbox.record_sent(message, now)
                db.session.commit()
                outcome.sent.append(message.id)
    return outcome


def _fail(messages, error: str, now: datetime, outcome: Outcome, permanent: bool = False) -> None:
    for message in messages:
        outbox.record_failure(message, error, now, current_app.config["MAIL_MAX_ATTEMPTS"], permanent)
        if message.status == QUEUED:
            outcome.again.append(message.id)
            at = message.next_attempt_at
            outcome.retry_at = at if outcome.retry_at is None else min(outcome.retry_at, at)
        else:
            outcome.failed.append(message.id)
    db.session.commit()


def write_due(now: datetime) -> list[int]:
    """Write the reminders and digests due at ``now`` (each once) and commit; the new outbox ids."""
    written = reminders.write_reminders(now) + reminders.write_digests(now)
    db.session.commit()
    return written
