"""Email delivery: over SMTP when configured, otherwise into the local outbox."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from api.app import create_app
from core.mail import Mail, MailNotSent, send_mail
from core.settings import Settings
from tests.support.mailbox import Mailbox, SmtpServer, body_of, free_port
from tests.support.site_client import submit


async def test_mail_goes_over_smtp(site_settings: Settings, mailbox: Mailbox) -> None:
    await send_mail(site_settings, Mail("ada@example.com", "Hello", "Body with a link"))
    message = mailbox.wait_for("ada@example.com", "Hello")
    assert message["From"] == "codestreak <noreply@codestreak.test>"
    assert "Body with a link" in body_of(message)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_smtp_credentials_are_used(tmp_path: Path) -> None:
    server = SmtpServer(accounts={"mailer": "s3cret-pass"})
    server.start()
    try:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_starttls=False,
            smtp_username="mailer",
            smtp_password="s3cret-pass",
            outbox_dir=tmp_path,
        )
        await send_mail(settings, Mail("ada@example.com", "Hi", "x"))
        assert server.mailbox.wait_for("ada@example.com", "Hi")
        wrong = settings.model_copy(update={"smtp_password": SecretStr("wrong")})
        with pytest.raises(MailNotSent, match=r"127\.0\.0\.1"):
            await send_mail(wrong, Mail("ada@example.com", "Hi", "x"))
    finally:
        server.stop()


async def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(smtp_host="127.0.0.1", smtp_port=free_port(), outbox_dir=tmp_path)
    with pytest.raises(MailNotSent, match=r"could not send email via 127\.0\.0\.1"):
        await send_mail(settings, Mail("ada@example.com", "Hi", "x"))


async def test_without_smtp_mail_lands_in_the_outbox(
    site_settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = site_settings.model_copy(update={"smtp_host": None, "outbox_dir": tmp_path / "out"})
    app = create_app(settings)
    caplog.set_level("INFO", logger="core.mail")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answer = await submit(client, "/register", "/register", {"email": "ada@example.com"})
    assert answer.status_code == 200
    files = list((tmp_path / "out").glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["To"] == "ada@example.com"
    assert "http://testserver/register/confirm?token=" in body_of(message)
    assert str(files[0]) in caplog.text
