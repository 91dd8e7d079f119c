"""Set-password emails: written to the outbox with the accounts, delivered by the worker.

Sending them inside the request (as before) ran a 5,000-row import past gunicorn's timeout; now the
import writes one outbox message per new account in its own transaction and the worker sends them,
retrying while the mail server is down. Without MAIL_SERVER and MAIL_FROM (the table in
``lms/config.py``) nothing is emailed and links are handed out as CSV or printed instead.
"""
from __future__ import annotations

from email.utils import formataddr

from .. import clock
from ..outbox import Email, add_emails, smtp

SUBJECT = "Your account on the Digital Diplomacy Academy"
BODY = """Hello {name},

An account on the Digital Diplomacy Academy has been set up for {email}.
Choose your password here (the link works once and expires in {days} days):

{link}

If you did not expect this message, you can ignore it.
"""


def is_configured(config) -> bool:
    """True when the app has enough SMTP settings to send mail."""
    return smtp.is_configured(config)


def link_email(config, email: str, name: str, link: str) -> Email:
    """The email that carries one set-password link."""
    body = BODY.format(name=name, email=email, link=link, days=config["PASSWORD_LINK_DAYS"])
    return Email(formataddr((name, email)), SUBJECT, body)


def queue_links(config, links: list[tuple[str, str, str]]) -> list[int]:
    """Write one email per ``(email, name, link)`` to the outbox (the caller commits, then enqueues)."""
    return add_emails((link_email(config, email, name, link) for email, name, link in links), clock.now())
