"""People: users, their roles, and the missions they serve in."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .org import CoordinatorRegion

ROLES = ("diplomat", "trainer", "coordinator", "admin")


class Mission(db.Model):
    """An embassy, consulate or permanent mission."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), index=True)


class UserRole(db.Model):
    """One role held by one user; a user may hold several."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class RoleHolder:
    """``has_role`` for anything with a ``roles`` set: the stored user, the signed-in user, the guest."""

    def has_role(self, *roles: str) -> bool:
        """True when this person holds at least one of ``roles``."""
        return not self.roles.isdisjoint(roles)


class SessionIdentity(UserMixin):
    """What Flask-Login keeps in the session: user id, session version and this sign-in's key, '12-3-9f0c…'.

    Raising the version (``User.end_sessions``) makes every older session id stale; recording the key as an
    ``EndedSession`` (sign-out) ends that one session.
    """

    session_key = ""  # a fresh random key is given at each sign-in (auth.session.sign_in)

    def get_id(self) -> str:
        return f"{self.id}-{self.session_version}-{self.session_key}"


class EndedSession(db.Model):
    """The key of a session signed out of, so a copy of its cookie no longer signs anyone in.

    Kept for SESSION_MAX_HOURS: a session older than that has ended anyway.
    """

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    ended_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class User(RoleHolder, SessionIdentity, db.Model):
    """A person who signs in: a diplomat, trainer, coordinator or admin."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("mission.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of the session identity: raising it signs the user out of every browser at once.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # A learner may stop reminder emails; coordinators still see them as behind.
    wants_reminders: Mapped[bool] = mapped_column(default=True, server_default="1")

    mission: Mapped[Mission | None] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=UserRole.role
    )
    region_rows: Mapped[list[CoordinatorRegion]] = relationship(cascade="all, delete-orphan")

    @validates("email")
    def _normalise_email(self, _key: str, value: str) -> str:
        # Emails are unique regardless of case: store them one way.
        return value.strip().lower()

    @property
    def is_active(self) -> bool:
        return self.active

    def end_sessions(self) -> None:
        """Sign the user out everywhere (deactivation, a new password)."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def roles(self) -> set[str]:
        """The names of the roles this user holds."""
        return {row.role for row in self.role_rows}

    @property
    def regions(self) -> set[str]:
        """The regions a coordinator is limited to; empty means every region."""
        return {row.region for row in self.region_rows}

    def set_roles(self, roles: list[str] | set[str]) -> None:
        """Replace the user's roles; unknown role names are refused."""
        unknown = set(roles) - set(ROLES)
        if unknown:
            raise ValueError(f"unknown role: {', '.join(sorted(unknown))}")
        self.role_rows = [UserRole(role=role) for role in sorted(set(roles))]

    def set_password(self, password: str) -> None:
        """Store a salted hash of ``password`` (PASSWORD_HASH_METHOD); the password itself is never kept."""
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        """True when ``password`` matches the stored hash."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @staticmethod
    def email_key(email: str):
        """A SQL expression matching ``email`` case-insensitively."""
        return func.lower(User.email) == email.strip().lower()
