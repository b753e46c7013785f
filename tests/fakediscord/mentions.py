"""Role mentions in messages, as Discord resolves them.

A ``<@&id>`` in a message's content pings the role only when the message's
``allowed_mentions`` let it (``parse`` holding "roles", or the id in ``roles``; no
``allowed_mentions`` at all parses everything) and the role is mentionable or the author holds
Mention Everyone in the channel (what Discord refuses in ``allowed_mentions`` is in
``message_rules``).
"""

from __future__ import annotations

import re
from typing import Any

from .models import FakeChannel, FakeMember
from .permissions import MENTION_EVERYONE, channel_permissions
from .world import FakeWorld

ROLE_MENTION = re.compile(r"<@&(\d+)>")


def pinged_roles(
    world: FakeWorld, body: dict[str, Any], channel: FakeChannel, author: FakeMember | None
) -> list[int]:
    """The roles a message with this body, sent by ``author`` in ``channel``, pings."""
    guild = world.guilds.get(channel.guild_id or 0)
    if guild is None:
        return []
    allowed = body.get("allowed_mentions")
    if isinstance(allowed, dict):
        parse_all = "roles" in (allowed.get("parse") or [])
        listed = {int(role_id) for role_id in allowed.get("roles") or []}
    else:
        parse_all, listed = True, set()
    may_ping_any = author is not None and bool(
        channel_permissions(guild, channel, author) & MENTION_EVERYONE
    )
    pinged = []
    for match in ROLE_MENTION.finditer(str(body.get("content") or "")):
        role = guild.roles.get(int(match.group(1)))
        if role is None or role.id in pinged or not (parse_all or role.id in listed):
            continue
        if role.mentionable or may_ping_any:
            pinged.append(role.id)
    return pinged
