"""Who may import and manage which people.

An admin, and the CLI (``actor=None``: whoever runs it has the server), may do anything. A
coordinator manages diplomats and trainers in the missions of their regions (every region when
they have none), and may not give or change coordinator or admin accounts: that would let a
region-scoped coordinator make an unscoped one.
"""
from __future__ import annotations

from ..auth.permissions import region_scope
from ..models import ROLES, Mission, User

MANAGER_ROLES = ("coordinator", "admin")
COORDINATOR_GRANTS = ("diplomat", "trainer")
# The same words for every existing account a coordinator may not change, whoever and wherever it is.
REFUSED_ACCOUNT = "this email belongs to an existing account that only an admin can change"


def can_manage_people(user) -> bool:
    """Coordinators and admins import people and hand out set-password links."""
    return user.is_authenticated and user.has_role(*MANAGER_ROLES)


def can_administer(user) -> bool:
    """Only admins change roles and deactivate accounts."""
    return user.is_authenticated and user.has_role("admin")


def is_unrestricted(actor: User | None) -> bool:
    """True for the CLI and for admins."""
    return actor is None or actor.has_role("admin")


def grantable_roles(actor: User | None) -> tuple[str, ...]:
    """The roles ``actor`` may give."""
    return ROLES if is_unrestricted(actor) else COORDINATOR_GRANTS


def mission_refusal(mission: Mission | None, scope: set[str] | None) -> str | None:
    """Why a mission is outside ``scope``, or None when it is inside."""
    if scope is None:
        return None
    if mission is None:
        return "a person with no mission is outside your regions"
    if mission.region not in scope:
        return f"mission {mission.code} is in {mission.region}, outside your regions ({', '.join(sorted(scope))})"
    return None


def account_refusal(actor: User | None, user: User) -> str | None:
    """Why ``actor`` may not change the existing account ``user``, or None when they may.

    One message whatever the reason, so a refusal tells a coordinator nothing about the account (its
    roles, its mission or region) beyond what they typed.
    """
    if is_unrestricted(actor):
        return None
    if user.has_role(*MANAGER_ROLES) or mission_refusal(user.mission, region_scope(actor)):
        return REFUSED_ACCOUNT
    return None
