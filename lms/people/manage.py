"""The admin's account services: finding users, changing roles, deactivating and reactivating.

These functions change the session and flush; the view commits.
A deactivated account keeps its history (progress, attempts, memberships): it only cannot sign in.
"""
from __future__ import annotations

from sqlalchemy import or_, select

from ..enrolment import status
from ..extensions import db
from ..models import ROLES, Mission, User, UserRole
from .tokens import revoke_links

PAGE_SIZE = 50


class AdminError(ValueError):
    """The change is not allowed; the message says why."""


def find_users(query: str = "", page: int = 1):
    """One page of users by email, matching ``query`` in email, name or mission code when given."""
    statement = select(User).outerjoin(Mission, User.mission_id == Mission.id).order_by(User.email)
    query = "".join(char for char in query if ord(char) >= 32).strip()  # PostgreSQL refuses NUL in text
    if query:
        statement = statement.where(or_(
            User.email.icontains(query, autoescape=True),
            User.name.icontains(query, autoescape=True),
            Mission.code.icontains(query, autoescape=True),
        ))
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def change_roles(admin: User, user: User, roles: list[str]) -> None:
    """Give ``user`` exactly ``roles`` (at least one); an admin cannot drop their own admin role."""
    wanted = set(roles)
    if not wanted or wanted - set(ROLES):
        raise AdminError(f"Choose at least one role from {', '.join(ROLES)}.")
    if user.id == admin.id and "admin" not in wanted:
        raise AdminError("You cannot remove your own admin role; ask another admin.")
    # Edit the rows in place: dropping and re-adding the same (user, role) key in one flush would clash.
    user.role_rows = [row for row in user.role_rows if row.role in wanted]
    user.role_rows.extend(UserRole(role=role) for role in sorted(wanted - user.roles))
    status.refresh([user.id])  # only diplomats have status rows


def deactivate(admin: User, user: User) -> None:
    """Stop ``user`` signing in (their sessions end too) and cancel their unused links."""
    if user.id == admin.id:
        raise AdminError("You cannot deactivate your own account.")
    user.active = False
    user.end_sessions()
    revoke_links(user)
    status.refresh([user.id])


def reactivate(user: User) -> None:
    """Let a deactivated account sign in again."""
    user.active = True
    user.end_sessions()  # a session from before the deactivation does not come back
    status.refresh([user.id])
