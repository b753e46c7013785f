"""What the bot may do in a channel, and what a server must allow for each of its jobs there."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

import discord


class ChannelPermission(Enum):
    """A channel permission the bot needs, named as Discord's settings name it."""

    VIEW_CHANNEL = "View Channel"
    SEND_MESSAGES = "Send Messages"
    EMBED_LINKS = "Embed Links"
    CREATE_PUBLIC_THREADS = "Create Public Threads"
    SEND_MESSAGES_IN_THREADS = "Send Messages in Threads"

    def held(self, permissions: discord.Permissions) -> bool:
        """Whether `permissions` include this one."""
        return bool(getattr(permissions, self.name.lower()))


#: posting the daily challenge (a message with an embed): without these nothing is posted
POSTING = (
    ChannelPermission.VIEW_CHANNEL,
    ChannelPermission.SEND_MESSAGES,
    ChannelPermission.EMBED_LINKS,
)
#: the challenge's discussion thread: without these the challenge is posted without one
THREADS = (ChannelPermission.CREATE_PUBLIC_THREADS, ChannelPermission.SEND_MESSAGES_IN_THREADS)
#: a plain text report to moderators
REPORTING = (ChannelPermission.VIEW_CHANNEL, ChannelPermission.SEND_MESSAGES)


def missing(
    channel: discord.abc.GuildChannel, needed: Iterable[ChannelPermission]
) -> list[ChannelPermission]:
    """The needed permissions the bot lacks in `channel` (overwrites included)."""
    permissions = channel.permissions_for(channel.guild.me)
    return [permission for permission in needed if not permission.held(permissions)]


def named(permissions: Iterable[ChannelPermission]) -> str:
    """Permissions as a server's settings name them, for moderators: "View Channel, Send ..."."""
    return ", ".join(f"**{permission.value}**" for permission in permissions)
