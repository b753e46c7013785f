"""How route handlers reach the fake that owns the aiohttp application."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .fake_discord import FakeDiscord

FAKE_KEY: web.AppKey[FakeDiscord] = web.AppKey("fakediscord")


def fake_of(request: web.Request) -> FakeDiscord:
    """The FakeDiscord serving ``request``."""
    return request.app[FAKE_KEY]


def snowflake_param(request: web.Request, name: str) -> int:
    """A snowflake path parameter; non-numeric values count as an unknown (zero) id."""
    value = request.match_info[name]
    return int(value) if value.isdigit() else 0


def json_response(data: Any, status: int = 200) -> web.Response:
    """A JSON response with the bare ``application/json`` type discord.py insists on."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def no_content() -> web.Response:
    """The empty 204 response Discord gives to many successful requests."""
    return web.Response(status=204)
