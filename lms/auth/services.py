"""Signing in: checking credentials and safe redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from ..models import User
from ..models.base import utcnow

# Checked against when the email is unknown, so both failures take the same time.
_DUMMY_HASH: dict[str, str] = {}


def authenticate(email: str, password: str, hash_method: str) -> User | None:
    """The active user with this email and password, or None; unknown emails cost as much as wrong passwords."""
    user = db.session.scalar(select(User).where(User.email_key(email)))
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(hash_method), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    return user


def _dummy_hash(method: str) -> str:
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = generate_password_hash("not a real password", method=method)
    return _DUMMY_HASH[method]


def is_safe_next(target: str | None) -> bool:
    """True only for a path on this site: no scheme, no host, no ``//`` or backslash tricks."""
    if not target:
        return False
    parts = urlsplit(target)
    return (
        not parts.scheme and not parts.netloc and target.startswith("/")
        and not target.startswith("//") and "\\" not in target and not any(ord(c) < 32 for c in target)
    )
