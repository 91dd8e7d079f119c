"""Operational endpoints for load balancers: liveness (/healthz) and readiness (/readyz)."""
from __future__ import annotations

from contextlib import suppress

import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .config import REDIS_TIMEOUTS
from .database.schema import migrations_head, recorded_revisions
from .extensions import db

bp = Blueprint("ops", __name__)


@bp.route("/healthz")
def healthz():
    """Liveness: the process answers. Nothing else is checked, so a database outage never restarts app servers."""
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    """Readiness: 200 when the database answers at the migrations' head and Redis (if set) answers; else 503."""
    checks = {**_database_checks(), "redis": _redis_check()}
    if all(value in ("ok", "not configured") for value in checks.values()):
        return jsonify(status="ready", **checks)
    return jsonify(status="unavailable", **checks), 503


def _database_checks() -> dict[str, str]:
    """The database's answer to SELECT 1, then whether its recorded schema is the one this code needs."""
    head = migrations_head()
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        _roll_back()
        return {"database": "unreachable", "schema": "unknown"}
    try:
        revisions = recorded_revisions(db.session)
    except SQLAlchemyError:  # no alembic_version: migrations never ran on this database
        _roll_back()
        revisions = []
    schema = "ok" if revisions == [head] else f"at {', '.join(revisions) or 'no version'}, needs {head}"
    return {"database": "ok", "schema": schema}


def _redis_check() -> str:
    url = current_app.config["REDIS_URL"]
    if not url:
        return "not configured"
    client = current_app.extensions.get("readiness_redis")
    if client is None:  # one client, and its connection pool, per app rather than per check
        client = current_app.extensions["readiness_redis"] = redis.Redis.from_url(url, **REDIS_TIMEOUTS)
    try:
        client.ping()
    except (redis.RedisError, OSError):
        return "unreachable"
    return "ok"


def _roll_back() -> None:
    """End the failed transaction; on a cut connection the rollback fails too, and the check has its answer."""
    with suppress(SQLAlchemyError):
        db.session.rollback()
