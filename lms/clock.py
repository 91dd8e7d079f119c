"""The time and the calendar day, in the installation's TIMEZONE.

Due dates are calendar days where the ministry is: "due on 30 September" ends at midnight in
TIMEZONE, not in UTC. Code that needs a fixed time in tests takes ``now`` as an argument.
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def now() -> datetime:
    """The current moment, timezone-aware in UTC."""
    return datetime.now(UTC)


def zone() -> ZoneInfo:
    """The installation's time zone (the TIMEZONE setting)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def today(moment: datetime | None = None) -> date:
    """The calendar day in TIMEZONE at ``moment`` (default: now)."""
    return (moment or now()).astimezone(zone()).date()
