"""Carrying an uploaded CSV from the preview to the confirm step, signed.

The preview page holds the file's text in a hidden field, signed (and zlib-compressed) with
itsdangerous under the app's SECRET_KEY, together with the uploader's id and a fingerprint of the
plan they were shown. Nothing is stored on the server between the two steps, so it works with
several app servers; the confirm step re-checks everything against the database as it is then.
The confirm form must be sent url-encoded: Werkzeug limits each multipart text field to
MAX_FORM_MEMORY_SIZE (500 kB) but url-encoded bodies only to MAX_CONTENT_LENGTH.
"""
from __future__ import annotations

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

SALT = "lms.people-import"
MAX_AGE = 2 * 60 * 60  # a preview left open longer must be uploaded again


class UploadLost(Exception):
    """The carried upload is missing, tampered with, someone else's, or too old; the message says which."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def sign_upload(text: str, actor_id: int, digest: str) -> str:
    """The signed value to put in the confirm form."""
    return _serializer().dumps({"user": actor_id, "csv": text, "digest": digest})


def load_upload(payload: str, actor_id: int) -> tuple[str, str]:
    """The CSV text and plan fingerprint from a signed value, or UploadLost."""
    try:
        data = _serializer().loads(payload or "", max_age=MAX_AGE)
    except SignatureExpired:
        raise UploadLost("The preview is more than two hours old. Please upload the file again.") from None
    except BadData:
        raise UploadLost("The preview could not be read. Please upload the file again.") from None
    if not isinstance(data, dict) or data.get("user") != actor_id:
        raise UploadLost("The preview could not be read. Please upload the file again.")
    return str(data.get("csv", "")), str(data.get("digest", ""))
