"""Sending emails over one SMTP connection with the MAIL_* settings (the table in ``lms/config.py``)."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

SMTP = smtplib.SMTP  # the TLS and login tests replace this; everything else talks to a real server
TIMEOUT = 30
# Errors that say "try again later": the server could not be reached, hung up, or answered 4xx.
TRANSIENT = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


class Refused(Exception):
    """The server refused this one message for good (a 5xx answer): retrying will not help."""


def is_configured(config) -> bool:
    """True when the app has enough SMTP settings to send mail."""
    return bool(config["MAIL_SERVER"] and config["MAIL_FROM"])


def build(config, recipient: str, subject: str, body: str, message_id: int) -> EmailMessage:
    """The email for one outbox message; its Message-ID names the outbox row, so a resend is recognisable."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = config["MAIL_FROM"]
    message["To"] = recipient
    message["Message-ID"] = make_msgid(idstring=f"outbox-{message_id}", domain=_sender_domain(config))
    message.set_content(body)
    return message


def _sender_domain(config) -> str:
    return config["MAIL_FROM"].rpartition("@")[2].rstrip(">").strip() or "localhost"


def connect(config) -> smtplib.SMTP:
    """An open, logged-in connection; raises OSError/SMTPException when the server cannot be used."""
    use_tls = config["MAIL_USE_TLS"]
    port = config["MAIL_PORT"] or (587 if use_tls else 25)  # the table's MAIL_PORT default: it depends on TLS
    smtp = SMTP(config["MAIL_SERVER"], port, timeout=TIMEOUT)
    try:
        if use_tls:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def send(smtp: smtplib.SMTP, message: EmailMessage) -> None:
    """Send one message; Refused when the server turns it down for good, else its error to retry."""
    try:
        smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        code, reason = next(iter(exc.recipients.values()))
        if code >= 500:
            raise Refused(_answer(code, reason)) from exc
        raise
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
        if exc.smtp_code >= 500:
            raise Refused(_answer(exc.smtp_code, exc.smtp_error)) from exc
        raise


def _answer(code: int, reason: bytes | str) -> str:
    return f"{code} {reason.decode(errors='replace') if isinstance(reason, bytes) else reason}"
