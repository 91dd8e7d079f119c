"""Which regions a coordinator may see."""
from __future__ import annotations

from flask import abort

from ..models import Mission, User


def require_region(scope: set[str] | None, region: str) -> None:
    """404 for a region outside the scope, so its existence is not confirmed either."""
    if scope is not None and region not in scope:
        abort(404)


def require_mission(scope: set[str] | None, mission: Mission | None) -> Mission:
    """The mission if the coordinator may see it, else 404."""
    if mission is None or (scope is not None and mission.region not in scope):
        abort(404)
    return mission


def require_person(scope: set[str] | None, user: User | None) -> User:
    """The person if the coordinator may see them (someone without a mission only unscoped), else 404."""
    if user is None or (scope is not None and (user.mission is None or user.mission.region not in scope)):
        abort(404)
    return user
