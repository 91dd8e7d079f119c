"""Set-password links: signed, expiring, single use, and stored only as a hash.

A link carries ``[token id, secret]`` signed with the app's SECRET_KEY (itsdangerous), so a
tampered link is refused before the database is asked. The database keeps the SHA-256 of the
secret, when the link expires (after PASSWORD_LINK_DAYS) and when it was used. Issuing a
link for an account deletes its other unused links; using one does the same.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import delete, update

from ..extensions import db
from ..models import PasswordToken, User
from ..models.base import utcnow

SALT = "lms.set-password"
CHUNK = 500


class InvalidLink(Exception):
    """The link cannot be used; ``status`` is 400 when it was tampered with, else 410."""

    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive UTC


def issue_links(users: list[User]) -> dict[int, str]:
    """A fresh signed link token per user (by user id); their older unused links stop working."""
    ids = [user.id for user in users]
    for start in range(0, len(ids), CHUNK):
        db.session.execute(delete(PasswordToken).where(
            PasswordToken.user_id.in_(ids[start:start + CHUNK]), PasswordToken.used_at.is_(None)))
    expires_at = utcnow() + timedelta(days=current_app.config["PASSWORD_LINK_DAYS"])
    secrets_by_token = {}
    for user in users:
        secret = secrets.token_urlsafe(32)
        token = PasswordToken(user_id=user.id, secret_hash=_hash(secret), expires_at=expires_at)
        db.session.add(token)
        secrets_by_token[user.id] = (token, secret)
    db.session.flush()
    serializer = _serializer()
    return {user_id: serializer.dumps([token.id, secret]) for user_id, (token, secret) in secrets_by_token.items()}


def issue_link(user: User) -> str:
    """A fresh signed link token for one user."""
    return issue_links([user])[user.id]


def issue_link_rows(users: list[User]) -> list[tuple[str, str, str]]:
    """Fresh links for ``users`` as ``(email, name, full link)`` rows, in the order given."""
    signed = issue_links(users)
    return [(user.email, user.name, link_url(signed[user.id])) for user in users]


def check_link(signed: str) -> tuple[PasswordToken, User]:
    """The live token and its active user, or InvalidLink; reveals nothing about any email."""
    try:
        token_id, secret = _serializer().loads(signed)
    except (BadData, TypeError, ValueError):
        raise InvalidLink(400) from None
    if not isinstance(token_id, int) or not isinstance(secret, str):
        raise InvalidLink(400)
    token = db.session.get(PasswordToken, token_id)
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        raise InvalidLink(410)
    user = db.session.get(User, token.user_id)
    if token.used_at is not None or _as_utc(token.expires_at) <= utcnow() or user is None or not user.active:
        raise InvalidLink(410)
    return token, user


def use_link(signed: str, password: str) -> User:
    """Set the password through a link, once: a second use, even a concurrent one, is refused."""
    token, user = check_link(signed)
    now = utcnow()
    claimed = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == token.id, PasswordToken.used_at.is_(None), PasswordToken.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise InvalidLink(410)
    db.session.execute(delete(PasswordToken).where(
        PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None)))
    user.set_password(password)
    user.end_sessions()
    db.session.flush()
    return user


def revoke_links(user: User) -> None:
    """Make the user's unused links stop working (when the account is deactivated)."""
    db.session.execute(delete(PasswordToken).where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None)))


def link_url(signed: str) -> str:
    """The full address of a link: from PUBLIC_URL if set, else this request's host, else a bare path."""
    public = current_app.config["PUBLIC_URL"]
    if public:
        parts = urlsplit(public)
        adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
        return adapter.build("people.set_password", {"token": signed}, force_external=True)
    if has_request_context():
        return url_for("people.set_password", token=signed, _external=True)
    return current_app.url_map.bind("localhost").build("people.set_password", {"token": signed})


def can_build_full_links() -> bool:
    """True when links can be given as full addresses (needed in emails and CLI output)."""
    return bool(current_app.config["PUBLIC_URL"]) or has_request_context()
