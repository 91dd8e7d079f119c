"""Small helpers shared by the models."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(timezone.utc)
