"""The fake Discord's world: application, guilds, roles, channels, members, messages, commands.

Changes made after the bot connected are announced to it over the gateway, as Discord does.
"""

from __future__ import annotations

from collections.abc import Iterable

from .gateway_events import EventSink, Intent
from .models import (
    DM_CHANNEL,
    MEMBER_OVERWRITE,
    ROLE_OVERWRITE,
    TEXT_CHANNEL,
    FakeApplication,
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeOverwrite,
    FakeRole,
    FakeUser,
    Json,
)
from .permissions import BOT_DEFAULT, EVERYONE_DEFAULT
from .snowflakes import SnowflakeFactory

APPLICATION_FLAGS_FOR_INTENTS = {
    Intent.GUILD_PRESENCES: 1 << 13,
    Intent.GUILD_MEMBERS: 1 << 15,
    Intent.MESSAGE_CONTENT: 1 << 19,
}


class FakeWorld:
    """Everything the fake Discord knows, and the test-facing methods that build it."""

    def __init__(self, events: EventSink, *, privileged_intents: int) -> None:
        self.events = events
        self.ids = SnowflakeFactory()
        self.privileged_intents = privileged_intents
        self.token = "fake-bot-token"
        self.public_base_url = "http://127.0.0.1"
        self.bot_user = FakeUser(self.ids.next(), "CodeStreak", bot=True)
        owner = FakeUser(self.ids.next(), "app-owner")
        flags = sum(
            bit
            for intent, bit in APPLICATION_FLAGS_FOR_INTENTS.items()
            if privileged_intents & intent
        )
        self.application = FakeApplication(
            self.ids.next(), "CodeStreak", self.bot_user, owner, flags
        )
        self.users: dict[int, FakeUser] = {self.bot_user.id: self.bot_user, owner.id: owner}
        self.guilds: dict[int, FakeGuild] = {}
        #: guilds built without the bot, which it may join later (`bot_joins`)
        self.outside_guilds: dict[int, FakeGuild] = {}
        self.dm_channels: dict[int, FakeChannel] = {}
        self.messages: dict[int, FakeMessage] = {}
        self.channel_messages: dict[int, list[FakeMessage]] = {}
        self.attachments: dict[int, FakeAttachment] = {}
        self.commands: dict[int | None, list[Json]] = {None: []}

    # -- building the world -------------------------------------------------------------------

    def add_user(self, username: str, *, bot: bool = False) -> FakeUser:
        """A new Discord user (not yet in any guild)."""
        user = FakeUser(self.ids.next(), username, bot=bot)
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str = "Test Server",
        *,
        bot_permissions: int = BOT_DEFAULT,
        shard: tuple[int, int] | None = None,
        joined: bool = True,
    ) -> FakeGuild:
        """A guild the bot is in: @everyone, the bot's own managed role, the owner and the bot.

        With ``shard=(shard_id, num_shards)`` its id puts it on that shard of that many. With
        ``joined=False`` the bot is not in it (and hears nothing of it) until :meth:`bot_joins`.
        """
        owner = self.add_user(f"{name}-owner")
        guild = FakeGuild(self.ids.next(shard=shard), name, owner.id)
        guild.roles[guild.id] = FakeRole(guild.id, "@everyone", 0, EVERYONE_DEFAULT)
        guild.members[owner.id] = FakeMember(owner, guild.id)
        if not joined:
            self.outside_guilds[guild.id] = guild
            return guild
        self._add_bot(guild, bot_permissions)
        self.guilds[guild.id] = guild
        if self.events.connected:
            self.events.dispatch(
                "GUILD_CREATE",
                self.guild_create_payload(guild, everyone=True),
                Intent.GUILDS,
                guild_id=guild.id,
            )
        return guild

    def _add_bot(self, guild: FakeGuild, permissions: int) -> None:
        """The bot's member and its managed role (just above @everyone) in ``guild``."""
        for role in guild.roles.values():
            if role.id != guild.id:
                role.position += 1
        bot_role = FakeRole(
            self.ids.next(),
            self.application.name,
            1,
            permissions,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = FakeMember(self.bot_user, guild.id, [bot_role.id])

    def bot_joins(self, guild: FakeGuild, *, bot_permissions: int = BOT_DEFAULT) -> None:
        """The bot is added to a guild built with ``joined=False``, as by a server admin who
        invites it: it gets its member and managed role and hears GUILD_CREATE (a join), which
        lists the bot alone among the members (a bot with the members intent asks for the rest,
        as discord.py does by chunking)."""
        self.outside_guilds.pop(guild.id)
        self._add_bot(guild, bot_permissions)
        self.guilds[guild.id] = guild
        self.events.dispatch(
            "GUILD_CREATE",
            guild.payload(members=[self.bot_member(guild)], joining=True),
            Intent.GUILDS,
            guild_id=guild.id,
        )

    def _announce(self, event: str, data: Json, intent: Intent, guild_id: int | None) -> None:
        """Tell the bot of a change, unless it is in a guild the bot is not in."""
        if guild_id is None or guild_id in self.guilds:
            self.events.dispatch(event, data, intent, guild_id=guild_id)

    def add_role(
        self,
        guild: FakeGuild,
        name: str,
        *,
        permissions: int = 0,
        position: int | None = None,
        mentionable: bool = False,
    ) -> FakeRole:
        """A role at ``position`` (default 1, just above @everyone); roles at or above it move up.

        Put a role above the bot's with ``position=fake.bot_top_role(guild).position + 1``.
        """
        target = 1 if position is None else max(1, position)
        moved = [r for r in guild.roles.values() if r.position >= target and r.id != guild.id]
        for shifted in moved:
            shifted.position += 1
        role = FakeRole(self.ids.next(), name, target, permissions, mentionable=mentionable)
        guild.roles[role.id] = role
        self._announce_role("GUILD_ROLE_CREATE", guild, role)
        for shifted in moved:
            self._announce_role("GUILD_ROLE_UPDATE", guild, shifted)
        return role

    def set_role_permissions(self, guild: FakeGuild, role: FakeRole, permissions: int) -> None:
        """Change what ``role`` allows, as a server admin would; the bot hears GUILD_ROLE_UPDATE."""
        role.permissions = permissions
        self._announce_role("GUILD_ROLE_UPDATE", guild, role)

    def _announce_role(self, event: str, guild: FakeGuild, role: FakeRole) -> None:
        self._announce(
            event, {"guild_id": str(guild.id), "role": role.payload()}, Intent.GUILDS, guild.id
        )

    def add_text_channel(self, guild: FakeGuild, name: str) -> FakeChannel:
        """A text channel in ``guild``."""
        channel = FakeChannel(
            self.ids.next(), name, TEXT_CHANNEL, guild.id, position=len(guild.channels)
        )
        guild.channels[channel.id] = channel
        self._announce("CHANNEL_CREATE", channel.payload(), Intent.GUILDS, channel.guild_id)
        return channel

    def set_channel_overwrite(
        self,
        channel: FakeChannel,
        target: FakeRole | FakeMember,
        *,
        allow: int = 0,
        deny: int = 0,
    ) -> None:
        """Allow and deny permissions in ``channel`` for a role or a member, replacing that
        target's earlier overwrite (none of either removes it), as a server admin would; the bot
        hears CHANNEL_UPDATE. Threads follow their parent's overwrites."""
        if isinstance(target, FakeRole):
            key = (ROLE_OVERWRITE, target.id)
        else:
            key = (MEMBER_OVERWRITE, target.user.id)
        kept = [o for o in channel.overwrites if (o.type, o.id) != key]
        if allow or deny:
            kept.append(FakeOverwrite(key[1], key[0], allow, deny))
        channel.overwrites = kept
        self._announce("CHANNEL_UPDATE", channel.payload(), Intent.GUILDS, channel.guild_id)

    def set_thread_state(
        self, thread: FakeChannel, *, archived: bool, locked: bool = False
    ) -> None:
        """Archive (and perhaps lock) a thread or reopen it, as Discord or a moderator would;
        the bot hears THREAD_UPDATE."""
        thread.archived = archived
        thread.locked = locked
        self.announce_thread_update(thread)

    def announce_thread_update(self, thread: FakeChannel) -> None:
        """Tell the bot a thread changed (THREAD_UPDATE)."""
        self._announce("THREAD_UPDATE", thread.payload(), Intent.GUILDS, thread.guild_id)

    def add_member(
        self, guild: FakeGuild, username: str, *, roles: Iterable[FakeRole] = ()
    ) -> FakeMember:
        """A new user who is a member of ``guild`` with the given roles."""
        return self.join_guild(guild, self.add_user(username), roles=roles)

    def join_guild(
        self, guild: FakeGuild, user: FakeUser, *, roles: Iterable[FakeRole] = ()
    ) -> FakeMember:
        """An existing user (perhaps a member of other guilds) joins ``guild``."""
        member = FakeMember(user, guild.id, [role.id for role in roles])
        guild.members[user.id] = member
        self._announce(
            "GUILD_MEMBER_ADD",
            {**member.payload(), "guild_id": str(guild.id)},
            Intent.GUILD_MEMBERS,
            guild.id,
        )
        return member

    def make_attachment(
        self,
        filename: str,
        content: bytes | str,
        content_type: str = "text/x-python; charset=utf-8",
    ) -> FakeAttachment:
        """A file the fake serves at its own URL, usable as an interaction or message attachment."""
        data = content.encode() if isinstance(content, str) else content
        attachment_id = self.ids.next()
        url = f"{self.public_base_url}/attachments/{attachment_id}/{filename}"
        attachment = FakeAttachment(attachment_id, filename, data, content_type, url)
        self.attachments[attachment_id] = attachment
        return attachment

    def add_message(
        self,
        channel: FakeChannel,
        author: FakeUser | FakeMember,
        content: str,
        *,
        attachments: Iterable[FakeAttachment] = (),
    ) -> FakeMessage:
        """A message written by ``author``; the bot receives MESSAGE_CREATE if it listens."""
        user = author.user if isinstance(author, FakeMember) else author
        message = FakeMessage(
            self.ids.next(),
            channel.id,
            channel.guild_id,
            user,
            content,
            attachments=list(attachments),
        )
        self.store_message(message)
        return message

    # -- looking things up --------------------------------------------------------------------

    def bot_member(self, guild: FakeGuild) -> FakeMember:
        """The bot's own member object in ``guild``."""
        return guild.members[self.bot_user.id]

    def bot_top_role(self, guild: FakeGuild) -> FakeRole:
        """The bot's highest role in ``guild``; it can only grant roles strictly below it."""
        member = self.bot_member(guild)
        return max(
            (guild.roles[r] for r in member.role_ids),
            key=lambda role: role.position,
            default=guild.everyone_role,
        )

    def find_channel(self, channel_id: int) -> FakeChannel | None:
        """A guild channel, thread or DM channel by id."""
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return next((dm for dm in self.dm_channels.values() if dm.id == channel_id), None)

    def messages_in(self, channel: FakeChannel) -> list[FakeMessage]:
        """Every non-ephemeral message in ``channel``, oldest first."""
        return list(self.channel_messages.get(channel.id, []))

    def bot_messages_in(self, channel: FakeChannel) -> list[FakeMessage]:
        """The messages the bot posted in ``channel`` (interaction responses included)."""
        return [m for m in self.messages_in(channel) if m.author.id == self.bot_user.id]

    def dm_messages_to(self, user: FakeUser | FakeMember) -> list[FakeMessage]:
        """The messages in the bot's DM channel with ``user``."""
        target = user.user if isinstance(user, FakeMember) else user
        channel = self.dm_channels.get(target.id)
        return self.messages_in(channel) if channel else []

    def threads_of(self, channel: FakeChannel) -> list[FakeChannel]:
        """The threads created under ``channel``."""
        guild = self.guilds.get(channel.guild_id or 0)
        return [c for c in guild.channels.values() if c.parent_id == channel.id] if guild else []

    def role_names_of(self, guild: FakeGuild, user: FakeUser | FakeMember) -> list[str]:
        """The names of the roles ``user`` currently holds in ``guild``."""
        target = user.user if isinstance(user, FakeMember) else user
        return [guild.roles[r].name for r in guild.members[target.id].role_ids]

    def registered_commands(self, guild: FakeGuild | None = None) -> list[Json]:
        """The application commands synced globally (``guild=None``) or for ``guild``."""
        return list(self.commands.get(guild.id if guild else None, []))

    # -- changes made by the bot or the tests --------------------------------------------------

    def store_message(self, message: FakeMessage) -> None:
        """Keep ``message``; non-ephemeral ones join their channel and are dispatched."""
        self.messages[message.id] = message
        if message.ephemeral:
            return
        self.channel_messages.setdefault(message.channel_id, []).append(message)
        self.events.dispatch_message("MESSAGE_CREATE", message, self._author_member(message))

    def announce_thread(self, thread: FakeChannel) -> None:
        """Tell the bot a thread was created (THREAD_CREATE)."""
        self.events.dispatch(
            "THREAD_CREATE",
            {**thread.payload(), "newly_created": True},
            Intent.GUILDS,
            guild_id=thread.guild_id,
        )

    def announce_member_update(self, guild: FakeGuild, member: FakeMember) -> None:
        """Tell the bot a member's roles changed (GUILD_MEMBER_UPDATE, needs the members intent)."""
        self.events.dispatch(
            "GUILD_MEMBER_UPDATE",
            {**member.payload(), "guild_id": str(guild.id)},
            Intent.GUILD_MEMBERS,
            guild_id=guild.id,
        )

    def announce_edit(self, message: FakeMessage) -> None:
        """Tell the bot a visible message changed (MESSAGE_UPDATE)."""
        if not message.ephemeral:
            self.events.dispatch_message("MESSAGE_UPDATE", message, self._author_member(message))

    def delete_message(self, message: FakeMessage) -> None:
        """Remove ``message`` and tell the bot (MESSAGE_DELETE)."""
        self.messages.pop(message.id, None)
        in_channel = self.channel_messages.get(message.channel_id, [])
        if message in in_channel:
            in_channel.remove(message)
        if message.ephemeral:
            return
        data: Json = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id:
            data["guild_id"] = str(message.guild_id)
        intent = Intent.GUILD_MESSAGES if message.guild_id else Intent.DIRECT_MESSAGES
        self.events.dispatch("MESSAGE_DELETE", data, intent, guild_id=message.guild_id)

    def _author_member(self, message: FakeMessage) -> Json | None:
        guild = self.guilds.get(message.guild_id or 0)
        member = guild.members.get(message.author.id) if guild else None
        return member.payload(with_user=False) if member else None

    def guild_create_payload(self, guild: FakeGuild, *, everyone: bool) -> Json:
        """GUILD_CREATE for ``guild``; without the members intent only the bot is listed."""
        members = list(guild.members.values()) if everyone else [self.bot_member(guild)]
        return guild.payload(members=members)

    def open_dm(self, user: FakeUser) -> FakeChannel:
        """The bot's DM channel with ``user``, created on first use."""
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = FakeChannel(self.ids.next(), "", DM_CHANNEL, recipient=user)
        return self.dm_channels[user.id]
