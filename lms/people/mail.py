"""Emailing set-password links with smtplib, when SMTP settings are configured.

The settings come from the app config, given as environment variables or in ``instance/config.py``
(the table in ``lms/config.py``): MAIL_SERVER, MAIL_PORT (default 587 with TLS, else 25), MAIL_USERNAME,
MAIL_PASSWORD, MAIL_USE_TLS (STARTTLS) and MAIL_FROM. Without MAIL_SERVER and MAIL_FROM nothing is
emailed and links are handed out as CSV or printed instead.
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr

MAIL_ERRORS = (OSError, smtplib.SMTPException)  # what a failed connection or refused login raises
SMTP = smtplib.SMTP  # tests replace this with a fake; nothing here opens a connection by itself
TIMEOUT = 30
SUBJECT = "Your account on the Digital Diplomacy Academy"
BODY = """Hello {name},

An account on the Digital Diplomacy Academy has been set up for {email}.
Choose your password here (the link works once and expires in {days} days):

{link}

If you did not expect this message, you can ignore it.
"""


@dataclass
class Delivery:
    """Who was sent a link, and who could not be (with the reason)."""

    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def is_configured(config) -> bool:
    """True when the app has enough SMTP settings to send mail."""
    return bool(config["MAIL_SERVER"] and config["MAIL_FROM"])


def build_message(config, email: str, name: str, link: str) -> EmailMessage:
    """The email that carries one set-password link."""
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = config["MAIL_FROM"]
    message["To"] = formataddr((name, email))
    days = config["PASSWORD_LINK_DAYS"]
    message.set_content(BODY.format(name=name, email=email, link=link, days=days))
    return message


def send_links(config, links: list[tuple[str, str, str]]) -> Delivery:
    """Email each ``(email, name, link)`` over one SMTP connection; raises OSError/SMTPException if it fails."""
    delivery = Delivery()
    use_tls = config["MAIL_USE_TLS"]
    port = config["MAIL_PORT"] or (587 if use_tls else 25)  # the table's MAIL_PORT default: it depends on TLS
    with SMTP(config["MAIL_SERVER"], port, timeout=TIMEOUT) as smtp:
        if use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        for email, name, link in links:
            try:
                smtp.send_message(build_message(config, email, name, link))
            except smtplib.SMTPRecipientsRefused as exc:
                delivery.failed.append((email, _reason(exc)))
            else:
                delivery.sent.append(email)
    return delivery


def _reason(exc: smtplib.SMTPRecipientsRefused) -> str:
    for code, message in exc.recipients.values():
        return f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
    return "refused"
