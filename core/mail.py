"""Outgoing email: over SMTP when a server is configured, otherwise into a local outbox folder.

The outbox lets the embedded default run on a laptop: each message is written as an `.eml` file
and its path is logged, so a developer can open the links it contains.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

import aiosmtplib

from core.metrics import MAIL_FAILURES
from core.settings import Settings

logger = logging.getLogger(__name__)


class MailNotSent(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True, slots=True)
class Mail:
    """One plain-text message to one recipient."""

    to: str
    subject: str
    body: str


def build_message(settings: Settings, mail: Mail) -> EmailMessage:
    """The MIME message for `mail`, from the configured sender."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="codestreak")
    message.set_content(mail.body)
    return message


def _write_to_outbox(folder: Path, message: EmailMessage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(message.as_bytes())
    return path


async def send_mail(settings: Settings, mail: Mail) -> None:
    """Deliver `mail` over SMTP, or write it to the outbox when no SMTP host is set.

    Raises `MailNotSent` when the SMTP server fails; the message never contains the password.
    """
    message = build_message(settings, mail)
    if not settings.smtp_host:
        path = await asyncio.to_thread(_write_to_outbox, settings.outbox_dir, message)
        logger.info("No SMTP_HOST set: email %r to %s written to %s", mail.subject, mail.to, path)
        return
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=password,
            use_tls=settings.smtp_tls,
            start_tls=settings.smtp_starttls and not settings.smtp_tls,
            timeout=30,
        )
    except (aiosmtplib.SMTPException, OSError) as error:
        MAIL_FAILURES.inc()
        raise MailNotSent(
            f"could not send email via {settings.smtp_host}:{settings.smtp_port}: {error}"
        ) from error
    logger.info("Sent email %r to %s", mail.subject, mail.to)
