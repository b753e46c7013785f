"""Pointing discord.py 2.x at the fake instead of discord.com.

discord.py has no constructor option for this; two class attributes decide where it goes:

* ``discord.http.Route.BASE`` - prefix of every REST URL, interaction callbacks and webhook
  followups included (``discord.webhook.async_`` builds its routes with the same ``Route``);
* ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` - the gateway a plain ``Client``/``Bot``
  connects to first (it never asks ``GET /gateway/bot``; only ``AutoShardedClient`` does, and the
  fake answers that with its own URL too). discord.py appends ``?v=10&encoding=json&compress=
  zlib-stream`` itself. After READY it reconnects/RESUMEs via ``resume_gateway_url``, which the
  fake sets to its own gateway URL; after an INVALID_SESSION it falls back to DEFAULT_GATEWAY.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route


def configure_discord_py(api_base: str, gateway_url: str) -> None:
    """Send discord.py's REST calls to ``api_base`` and its gateway connection to ``gateway_url``.

    ``api_base`` includes the version, e.g. ``http://127.0.0.1:PORT/api/v10``; ``gateway_url`` is
    e.g. ``ws://127.0.0.1:PORT/gateway``. This changes process-wide class attributes.
    """
    Route.BASE = api_base.rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


@contextmanager
def discord_py_pointed_at(api_base: str, gateway_url: str) -> Iterator[None]:
    """:func:`configure_discord_py` for the duration of a ``with`` block, then restore."""
    saved = (Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
    configure_discord_py(api_base, gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved
