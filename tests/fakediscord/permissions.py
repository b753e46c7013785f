"""Discord permission bits and the role-hierarchy arithmetic Discord applies to role changes."""

from __future__ import annotations

from .models import MEMBER_OVERWRITE, ROLE_OVERWRITE, FakeChannel, FakeGuild, FakeMember, FakeRole

CREATE_INSTANT_INVITE = 1 << 0
KICK_MEMBERS = 1 << 1
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
SEND_TTS_MESSAGES = 1 << 12
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
MANAGE_ROLES = 1 << 28
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_THREADS = 1 << 34
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38

ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_DEFAULT = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)

BOT_DEFAULT = EVERYONE_DEFAULT | MANAGE_ROLES | MANAGE_MESSAGES | MANAGE_CHANNELS


def member_roles(guild: FakeGuild, member: FakeMember) -> list[FakeRole]:
    """The member's roles, @everyone included."""
    return [guild.everyone_role, *(guild.roles[r] for r in member.role_ids if r in guild.roles)]


#: what Discord implicitly denies to whoever may not send messages in a channel
NEEDS_SEND_MESSAGES = SEND_TTS_MESSAGES | MENTION_EVERYONE | ATTACH_FILES | EMBED_LINKS


def guild_permissions(guild: FakeGuild, member: FakeMember) -> int:
    """The member's guild-wide permissions, before any channel's overwrites."""
    if member.user.id == guild.owner_id:
        return ALL_PERMISSIONS
    combined = 0
    for role in member_roles(guild, member):
        combined |= role.permissions
    return ALL_PERMISSIONS if combined & ADMINISTRATOR else combined


def channel_permissions(guild: FakeGuild, channel: FakeChannel, member: FakeMember) -> int:
    """The member's permissions in ``channel``, as Discord computes them.

    Base permissions, then the @everyone overwrite, then the member's roles' overwrites (all
    denies, then all allows), then the member's own overwrite. Administrators and the owner keep
    everything. Without View Channel nothing is left; without Send Messages, embedding, attaching,
    TTS and mentioning everyone go too. A thread takes its parent channel's overwrites.
    """
    base = guild_permissions(guild, member)
    if base & ADMINISTRATOR or base == ALL_PERMISSIONS:
        return ALL_PERMISSIONS
    source = guild.channels.get(channel.parent_id or 0, channel) if channel.is_thread else channel
    overwrites = {(o.type, o.id): o for o in source.overwrites}
    permissions = base
    everyone = overwrites.get((ROLE_OVERWRITE, guild.id))
    if everyone is not None:
        permissions = (permissions & ~everyone.deny) | everyone.allow
    roles = [overwrites.get((ROLE_OVERWRITE, role_id)) for role_id in member.role_ids]
    denied = allowed = 0
    for overwrite in filter(None, roles):
        denied |= overwrite.deny
        allowed |= overwrite.allow
    permissions = (permissions & ~denied) | allowed
    own = overwrites.get((MEMBER_OVERWRITE, member.user.id))
    if own is not None:
        permissions = (permissions & ~own.deny) | own.allow
    if not permissions & VIEW_CHANNEL:
        return 0
    if not permissions & SEND_MESSAGES:
        permissions &= ~NEEDS_SEND_MESSAGES
    return permissions


def top_role_position(guild: FakeGuild, member: FakeMember) -> int:
    """Position of the member's highest role; it may only manage roles strictly below it."""
    return max(role.position for role in member_roles(guild, member))


def role_management_refusal(guild: FakeGuild, actor: FakeMember, role: FakeRole) -> str | None:
    """Why ``actor`` may not grant or revoke ``role``, or None when Discord would allow it."""
    if actor.user.id == guild.owner_id:
        return None
    if not guild_permissions(guild, actor) & MANAGE_ROLES:
        return "the bot lacks the MANAGE_ROLES permission"
    top = top_role_position(guild, actor)
    if role.position >= top:
        return (
            f"role {role.name!r} (position {role.position}) is not below the bot's highest role "
            f"(position {top})"
        )
    if role.managed:
        return f"role {role.name!r} is managed by an integration"
    return None
