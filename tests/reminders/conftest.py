"""A training round on fixed dates, and a fake clock to walk through it."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from lms.accounts import create_mission, create_user
from lms.enrolment import add_members, create_cohort, enrol_cohort, status
from lms.extensions import db
from lms.jobs.delivery import write_due
from lms.models import CoordinatorRegion, Course, CourseCompletion, OutboxMessage, User
from tests.helpers import PASSWORD

DUE = date(2026, 6, 10)  # a Wednesday


def at(day: date, hour: int = 9) -> datetime:
    """A moment on ``day`` (UTC, as the test app's TIMEZONE is UTC)."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def days(n: int) -> timedelta:
    return timedelta(days=n)


@pytest.fixture
def round_(app, content):
    """Round 1 of the test course, due on DUE: amy (Europe, not started), ben (Africa, not started), cat
    (Europe, completed), dan (Europe, opted out of reminders); a coordinator for all regions and one for Africa."""
    with app.app_context():
        create_mission("EMB-BER", "Embassy in Berlin", "Germany", "Europe")
        create_mission("EMB-NAI", "Embassy in Nairobi", "Kenya", "Africa")
        people = {name: create_user(f"{name}@example.org", name.title(), PASSWORD, ["diplomat"], mission)
                  for name, mission in [("amy", "EMB-BER"), ("ben", "EMB-NAI"), ("cat", "EMB-BER"),
                                        ("dan", "EMB-BER")]}
        people["dan"].wants_reminders = False
        for name, regions in [("coord", []), ("africa", ["Africa"])]:
            coordinator = create_user(f"{name}@example.org", name.title(), PASSWORD, ["coordinator"])
            db.session.add_all(CoordinatorRegion(user_id=coordinator.id, region=region) for region in regions)
            people[name] = coordinator
        course = db.session.scalar(select(Course))
        cohort = create_cohort("Round 1")
        enrol_cohort(cohort, course, DUE, confirmed=True)
        add_members(cohort, [people[name] for name in ("amy", "ben", "cat", "dan")])
        db.session.add(CourseCompletion(user_id=people["cat"].id, course_id=course.id, completed_at=at(DUE - days(20))))
        status.refresh([people["cat"].id])
        db.session.commit()
        return {name: user.id for name, user in people.items()} | {"course": course.id, "cohort": cohort.id}


@pytest.fixture
def run(app):
    """``run(now)``: the scheduler at ``now`` (reminders and digests written, committed); the new messages as
    (recipient address, subject, dedupe key)."""
    def run_at(now: datetime, on=None) -> list[tuple[str, str, str]]:
        with (on or app).app_context():
            ids = write_due(now)
            rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.dedupe_key)
                                      .where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)).all()
        return [(recipient.split("<")[-1].rstrip(">"), subject, key) for recipient, subject, key in rows]
    return run_at


def reminders_only(messages):
    """The reminders among written messages, as (address, kind)."""
    return [(address, key.split(":")[3]) for address, _subject, key in messages if key.startswith("reminder:")]


def user(app, user_id: int) -> User:
    with app.app_context():
        found = db.session.get(User, user_id)
        db.session.expunge(found)
        return found
