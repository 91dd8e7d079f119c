"""Reminders before and after due dates, and coordinators' weekly digests, written to the outbox once each.

"Once" is the database's job: every reminder and digest has a dedupe key naming the learner, course,
kind and due date (or the coordinator and ISO week), inserted with ON CONFLICT DO NOTHING, so two
schedulers, a retried job or two hosts write it once. A new due date (an extension) gives new keys, so a
new series. Only the latest reminder already due is written: someone enrolled late gets no backlog.
Everything takes ``now`` so tests can move the clock.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..models import CoordinatorRegion, Course, Enrolment, Mission, User, UserRole
from ..models.enrolment import COMPLETED
from ..outbox import Email, add_email
from .texts import digest_body, digest_subject, reminder_body, reminder_subject

NO_MISSION = "No mission"


@dataclass(frozen=True)
class Series:
    """The reminder settings: days before the due date, days between overdue ones, how many overdue ones."""

    days_before: tuple[int, ...]
    overdue_every: int
    overdue_max: int

    @classmethod
    def from_config(cls, config) -> Series:
        return cls(config["REMINDER_DAYS_BEFORE"], config["OVERDUE_REMINDER_DAYS"], config["OVERDUE_REMINDERS_MAX"])

    def starts(self, due_on: date) -> list[tuple[date, str]]:
        """Each reminder's first day and kind: ``before-7``, ``before-1``, ``overdue-1``, ..."""
        before = [(due_on - timedelta(days=days), f"before-{days}") for days in self.days_before]
        after = [(due_on + timedelta(days=1 + self.overdue_every * number), f"overdue-{number + 1}")
                 for number in range(self.overdue_max)]
        return before + after

    def latest(self, due_on: date, today: date) -> str | None:
        """The kind of the latest reminder due by ``today`` (from the start of its day), or None."""
        due = [(start, kind) for start, kind in self.starts(due_on) if start <= today]
        return max(due)[1] if due else None

    def window(self, today: date) -> tuple[date, date]:
        """The due dates that can have a reminder due today."""
        latest_after = 1 + self.overdue_every * max(self.overdue_max - 1, 0) + self.overdue_every
        return today - timedelta(days=latest_after), today + timedelta(days=max(self.days_before, default=0))


def write_reminders(now: datetime) -> list[int]:
    """Write the reminders due at ``now`` that were not written before; the new outbox ids."""
    series, today = Series.from_config(current_app.config), clock.today(now)
    first, last = series.window(today)
    rows = db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id, Enrolment.due_on, User.name, User.email,
               Course.title, Course.slug)
        .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.state != COMPLETED, Enrolment.due_on.between(first, last),
               User.active.is_(True), User.wants_reminders.is_(True))
        .order_by(Enrolment.user_id, Enrolment.course_id))
    written = []
    for row in rows:
        kind = series.latest(row.due_on, today)
        if kind is None:
            continue
        email = Email(f"{row.name} <{row.email}>", reminder_subject(row.title, row.due_on),
                      reminder_body(row.name, row.email, row.title, row.slug, row.due_on, kind.startswith("overdue")))
        key = f"reminder:{row.user_id}:{row.course_id}:{kind}:{row.due_on.isoformat()}"
        message_id = add_email(email, now, key)
        if message_id is not None:
            written.append(message_id)
    return written


def write_digests(now: datetime) -> list[int]:
    """Write this ISO week's digest for each coordinator with anyone overdue in their regions, once."""
    today = clock.today(now)
    year, week, _day = today.isocalendar()
    label = f"{year}-W{week:02d}"
    overdue = _overdue(today)
    if not overdue:
        return []
    written = []
    for coordinator, regions in _coordinators():
        mine = [row for row in overdue if regions is None or row[0] in regions]
        if not mine:
            continue
        by_mission: dict[str, list] = defaultdict(list)
        for _region, mission, person, title, due_on in mine:
            by_mission[mission].append((person, title, due_on))
        email = Email(f"{coordinator.name} <{coordinator.email}>", digest_subject(label, len(mine)),
                      digest_body(coordinator.name, dict(by_mission)))
        message_id = add_email(email, now, f"digest:{coordinator.id}:{label}")
        if message_id is not None:
            written.append(message_id)
    return written


def _overdue(today: date) -> list[tuple[str | None, str, str, str, date]]:
    """(region, mission, person, course, due date) of every overdue enrolment, by mission then person."""
    rows = db.session.execute(
        select(Mission.region, Mission.code, Mission.name, User.name, User.email, Course.title, Enrolment.due_on)
        .join(User, User.id == Enrolment.user_id).join(Course, Course.id == Enrolment.course_id)
        .outerjoin(Mission, Mission.id == Enrolment.mission_id)
        .where(Enrolment.state != COMPLETED, Enrolment.due_on < today)
        .order_by(Mission.code, User.name, Course.title))
    return [(region, f"{code} {name}" if code else NO_MISSION, f"{person} <{email}>", title, due_on)
            for region, code, name, person, email, title, due_on in rows]


def _coordinators() -> list[tuple[User, set[str] | None]]:
    """Active coordinators with the regions they are limited to (None: every region)."""
    coordinators = list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == "coordinator", User.active.is_(True)).order_by(User.id)))
    regions: dict[int, set[str]] = defaultdict(set)
    for user_id, region in db.session.execute(select(CoordinatorRegion.user_id, CoordinatorRegion.region)):
        regions[user_id].add(region)
    return [(user, regions.get(user.id)) for user in coordinators]


def set_wants_reminders(user: User, wants: bool) -> None:
    """Turn a learner's reminders on or off (coordinators still see them in reports)."""
    user.wants_reminders = wants
    db.session.flush()
