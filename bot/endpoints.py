"""Where discord.py connects: Discord itself, a REST proxy, or a local stand-in."""

from __future__ import annotations

import logging

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from core.settings import Settings

logger = logging.getLogger(__name__)


def apply_discord_endpoints(settings: Settings) -> None:
    """Point discord.py's REST calls at DISCORD_API_BASE and its gateway at DISCORD_GATEWAY_URL.

    discord.py reads both from class attributes, so this affects the whole process.
    """
    Route.BASE = settings.discord_api_base.rstrip("/")
    if settings.discord_gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
    logger.info("Discord API at %s, gateway at %s", Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY)
