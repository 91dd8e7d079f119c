"""Coordinators' weekly digests: overdue people in their regions, by mission, once per ISO week."""
from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models import OutboxMessage

from .conftest import DUE, at, days


def digests(messages):
    return [(address, subject) for address, subject, key in messages if key.startswith("digest:")]


def test_none_while_nobody_is_overdue(app, round_, run):
    assert digests(run(at(DUE - days(1)))) == [] and digests(run(at(DUE))) == []


def test_each_coordinator_gets_one_digest_a_week_of_their_regions(app, round_, run):
    found = digests(run(at(DUE + days(1))))  # Thursday of ISO week 24
    assert found == [("coord@example.org", "Overdue learners, week 2026-W24: 3"),
                     ("africa@example.org", "Overdue learners, week 2026-W24: 1")]
    assert digests(run(at(DUE + days(4)))) == []  # Sunday, same week
    assert [address for address, _ in digests(run(at(DUE + days(5))))] == ["coord@example.org", "africa@example.org"]
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient.contains("africa@")))
    assert "EMB-NAI Embassy in Nairobi\n  - Ben <ben@example.org>: Introduction course, due 2026-06-10" in body
    assert "amy@" not in body and "EMB-BER" not in body
