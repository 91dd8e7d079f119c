"""Where a certificate can be verified: on PUBLIC_URL when set, else on the host of this request."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for

from .codes import grouped


def verification_url(code: str) -> str:
    """The full public address of a certificate's verification page (for the page, the PDF and the QR code)."""
    public = current_app.config["PUBLIC_URL"]
    values = {"code": grouped(code)}
    if public:
        parts = urlsplit(public)
        adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme)
        return adapter.build("verify.show", values, force_external=True)
    if has_request_context():
        return url_for("verify.show", _external=True, **values)
    return current_app.url_map.bind("localhost").build("verify.show", values)
