"""Helpers of the people tests: the CSV header, a preview's signed payload, users by email."""
from __future__ import annotations

import re

from lms.models import User
from tests.helpers import detached

HEADER = "email,name,mission,cohort,role\n"
PAYLOAD = re.compile(r'name="payload" type="hidden" value="([^"]*)"')


def payload_of(html: str) -> str:
    """The signed file carried by a preview page's confirm form."""
    match = PAYLOAD.search(html)
    assert match, "preview has no confirm form"
    return match.group(1)


def find_user(app, email: str) -> User | None:
    """The user with this email (any case), detached."""
    return detached(app, User, User.email_key(email))
