"""Looking up the objects a request names, and checking the bot may act on them.

Each lookup raises the 404 Discord gives for an unknown object; permission checks raise
403 Missing Permissions with an explanation.
"""

from __future__ import annotations

from .errors import (
    UNKNOWN_CHANNEL,
    UNKNOWN_GUILD,
    UNKNOWN_MEMBER,
    UNKNOWN_MESSAGE,
    UNKNOWN_ROLE,
    cannot_message_user,
    missing_access,
    missing_permissions,
    not_found,
)
from .models import FakeChannel, FakeGuild, FakeMember, FakeMessage, FakeRole, FakeUser
from .permissions import VIEW_CHANNEL, channel_permissions, role_management_refusal
from .world import FakeWorld


def guild_or_404(world: FakeWorld, guild_id: int) -> FakeGuild:
    """The guild, or 404 Unknown Guild."""
    guild = world.guilds.get(guild_id)
    if guild is None:
        raise not_found(UNKNOWN_GUILD, "Guild")
    return guild


def channel_or_404(world: FakeWorld, channel_id: int) -> FakeChannel:
    """The channel (or thread, or DM), or 404 Unknown Channel."""
    channel = world.find_channel(channel_id)
    if channel is None:
        raise not_found(UNKNOWN_CHANNEL, "Channel")
    return channel


def member_or_404(guild: FakeGuild, user_id: int) -> FakeMember:
    """The member, or 404 Unknown Member."""
    member = guild.members.get(user_id)
    if member is None:
        raise not_found(UNKNOWN_MEMBER, "Member")
    return member


def role_or_404(guild: FakeGuild, role_id: int) -> FakeRole:
    """The role, or 404 Unknown Role."""
    role = guild.roles.get(role_id)
    if role is None:
        raise not_found(UNKNOWN_ROLE, "Role")
    return role


def message_or_404(world: FakeWorld, channel: FakeChannel, message_id: int) -> FakeMessage:
    """A visible message of ``channel``, or 404 Unknown Message."""
    message = world.messages.get(message_id)
    if message is None or message.channel_id != channel.id or message.ephemeral:
        raise not_found(UNKNOWN_MESSAGE, "Message")
    return message


def require_bot_permission(world: FakeWorld, channel: FakeChannel, bit: int, what: str) -> None:
    """403 unless the bot holds permission ``bit`` in the channel, overwrites applied: Missing
    Access when it cannot even view it, else Missing Permissions. In a DM the recipient may
    refuse (50007, see :func:`dm_refusal`)."""
    guild = world.guilds.get(channel.guild_id or 0)
    if guild is None:
        refusal = dm_refusal(world, channel.recipient) if channel.recipient else None
        if refusal is not None:
            raise cannot_message_user(refusal)
        return
    permissions = channel_permissions(guild, channel, world.bot_member(guild))
    if not permissions & VIEW_CHANNEL:
        raise missing_access(f"the bot cannot view #{channel.name}")
    if not permissions & bit:
        raise missing_permissions(f"the bot lacks the permission to {what} in #{channel.name}")


def dm_refusal(world: FakeWorld, recipient: FakeUser) -> str | None:
    """Why Discord refuses the bot's DM to ``recipient`` (50007), if it does: they closed their
    DMs, they are a bot (bots never message bots), or they share no server with the bot."""
    if recipient.dms_closed:
        return f"{recipient.username} does not accept DMs"
    if recipient.bot:
        return f"{recipient.username} is a bot, and bots cannot message bots"
    if not any(recipient.id in guild.members for guild in world.guilds.values()):
        return f"{recipient.username} shares no server with the bot"
    return None


def require_role_management(world: FakeWorld, guild: FakeGuild, role: FakeRole) -> None:
    """403 unless the bot may grant/revoke ``role`` (MANAGE_ROLES, role below its top role)."""
    refusal = role_management_refusal(guild, world.bot_member(guild), role)
    if refusal is not None:
        raise missing_permissions(refusal)
