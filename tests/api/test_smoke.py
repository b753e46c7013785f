"""First checks while building."""

from __future__ import annotations

import httpx

from tests.api.mailbox import Mailbox
from tests.api.site import log_in, register


async def test_register_and_log_in(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    done = await register(client, mailbox, "ada@example.com", "Ada")
    assert done.status_code == 303, done.text
    assert done.headers["location"] == "/u/Ada"
    again = await log_in(client, "ada@example.com")
    assert again.status_code == 303
