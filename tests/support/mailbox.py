"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives."""

from __future__ import annotations

import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    """Messages received by the SMTP server, oldest first."""

    messages: list[EmailMessage] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        """aiosmtpd's hook: parse and keep the message."""
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        """Messages sent to `address`, compared trimmed and in lower case as the site stores it."""
        wanted = address.strip().lower()
        with self._lock:
            return [m for m in self.messages if str(m["To"]).lower() == wanted]

    def wait_for(self, address: str, subject: str, timeout_s: float = 10.0) -> EmailMessage:
        """The newest message to `address` whose subject contains `subject`, waiting for it."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = [m for m in self.to(address) if subject in str(m["Subject"])]
            if found:
                return found[-1]
            time.sleep(0.05)
        raise AssertionError(f"no email to {address} about {subject!r}; got {self.messages}")


def body_of(message: EmailMessage) -> str:
    """The plain-text body of a message."""
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    content: str = part.get_content()
    return content


def link_in(message: EmailMessage) -> str:
    """The first link in a message's body."""
    found = LINK.search(body_of(message))
    assert found, body_of(message)
    return found.group(0)


class _Authenticator:
    """Accepts the configured login/password pairs."""

    def __init__(self, accounts: dict[str, str]) -> None:
        self.accounts = accounts

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """aiosmtpd's hook: check one login attempt."""
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        return AuthResult(success=self.accounts.get(login) == password, handled=False)


class SmtpServer:
    """A running aiosmtpd server and its mailbox; stop it when done.

    With `accounts`, the server requires AUTH (without TLS, as this is a local test) and accepts
    exactly those login/password pairs.
    """

    def __init__(self, accounts: dict[str, str] | None = None) -> None:
        self.mailbox = Mailbox()
        self.port = free_port()
        options: dict[str, Any] = {}
        if accounts is not None:
            options = {
                "authenticator": _Authenticator(accounts),
                "auth_required": True,
                "auth_require_tls": False,
            }
        self._controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **options)

    def start(self) -> None:
        """Start listening."""
        self._controller.start()

    def stop(self) -> None:
        """Stop listening."""
        self._controller.stop()
