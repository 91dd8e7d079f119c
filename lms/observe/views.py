"""``/metrics``, for Prometheus only: allowed addresses, or the bearer token; anyone else finds nothing."""
from __future__ import annotations

import hmac
from ipaddress import ip_address

from flask import Blueprint, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from .metrics import exposition

bp = Blueprint("metrics", __name__)


def may_scrape() -> bool:
    """From an address in METRICS_ALLOW, or bearing METRICS_TOKEN (compared in constant time)."""
    token = current_app.config["METRICS_TOKEN"]
    if token:
        given = request.headers.get("Authorization", "").encode()
        if hmac.compare_digest(given, f"Bearer {token}".encode()):
            return True
    try:
        address = ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["METRICS_ALLOW"])


@bp.route("/metrics")
def scrape():
    """The metrics in Prometheus' text format; 404, as if there were no such page, for anyone not allowed."""
    if not may_scrape():
        abort(404)
    return exposition(current_app), 200, {"Content-Type": CONTENT_TYPE_LATEST}
