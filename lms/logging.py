"""Security events in the log: who, what, where from, with nothing a user typed able to forge a line."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_login import current_user


def clean(value) -> str:
    """A value safe on one log line: control characters (newlines included) escaped, length capped."""
    text = str(value)[:200]
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def log_event(event: str, **details) -> None:
    """Log a security event with the user, route and address of the current request."""
    fields = dict(details)
    if has_request_context():
        user = current_user.id if current_user.is_authenticated else "anonymous"
        fields = {"user": user, "route": request.path, "ip": request.remote_addr, **fields}
    current_app.logger.warning("%s %s", event, " ".join(f"{k}={clean(v)!s}" for k, v in fields.items()),
                               extra={"event": event})  # a JSON field of its own, to filter on
