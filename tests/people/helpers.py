"""Helpers of the people tests: the CSV header, a preview's signed payload, users by email, a fake SMTP server."""
from __future__ import annotations

import re
import smtplib
from typing import ClassVar

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


class FakeSMTP:
    """Stands in for smtplib.SMTP: records what would be sent, never touches the network."""

    instances: ClassVar[list[FakeSMTP]] = []
    refuse: ClassVar[set[str]] = set()

    def __init__(self, host, port, timeout=None):
        self.host, self.port, self.timeout = host, port, timeout
        self.sent, self.tls, self.login_as = [], False, None
        FakeSMTP.instances.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.tls = True

    def login(self, user, password):
        self.login_as = (user, password)

    def send_message(self, message):
        if message["To"].split("<")[-1].rstrip(">") in FakeSMTP.refuse:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such mailbox")})
        self.sent.append(message)


class SentMail:
    """What the fake SMTP server was given, across connections."""

    @property
    def connections(self) -> list[FakeSMTP]:
        return FakeSMTP.instances

    @property
    def sent(self) -> list:
        return [message for smtp in FakeSMTP.instances for message in smtp.sent]
