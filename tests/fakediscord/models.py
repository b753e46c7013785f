"""The objects the fake server stores, each able to render itself as a Discord API payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .snowflakes import iso_now

Json = dict[str, Any]

TEXT_CHANNEL = 0
DM_CHANNEL = 1
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = (PUBLIC_THREAD, PRIVATE_THREAD)

EPHEMERAL_FLAG = 1 << 6
LOADING_FLAG = 1 << 7


@dataclass
class FakeUser:
    """A Discord user account (a learner, a moderator or the bot itself)."""

    id: int
    username: str
    bot: bool = False
    #: the user does not accept direct messages from the bot (Discord answers 50007)
    dms_closed: bool = False

    def payload(self) -> Json:
        """The user object as Discord sends it."""
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.username,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class FakeRole:
    """A guild role; ``position`` orders the hierarchy (higher is more powerful)."""

    id: int
    name: str
    position: int
    permissions: int
    managed: bool = False
    bot_id: int | None = None
    #: whether anyone may ping it (a member with Mention Everyone always may)
    mentionable: bool = False

    def payload(self) -> Json:
        """The role object as Discord sends it."""
        tags: Json = {"bot_id": str(self.bot_id)} if self.bot_id is not None else {}
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": self.mentionable,
            "flags": 0,
            "tags": tags,
        }


ROLE_OVERWRITE = 0
MEMBER_OVERWRITE = 1


@dataclass
class FakeOverwrite:
    """A channel permission overwrite for a role or a member: bits it allows and denies."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def payload(self) -> Json:
        """The overwrite object as Discord sends it."""
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class FakeChannel:
    """A guild text channel, a thread (``parent_id`` set) or a DM channel (``recipient`` set).

    ``overwrites`` are the channel's permission overwrites (threads use their parent's).
    """

    id: int
    name: str
    type: int = TEXT_CHANNEL
    guild_id: int | None = None
    parent_id: int | None = None
    owner_id: int | None = None
    recipient: FakeUser | None = None
    position: int = 0
    created_at: str = field(default_factory=iso_now)
    overwrites: list[FakeOverwrite] = field(default_factory=list)
    #: a thread's state: archived threads take no messages until reopened; locked ones are
    #: reopened only with Manage Threads
    archived: bool = False
    locked: bool = False

    @property
    def is_thread(self) -> bool:
        """Whether this channel is a thread inside another channel."""
        return self.type in THREAD_TYPES

    def payload(self) -> Json:
        """The channel object as Discord sends it."""
        if self.type == DM_CHANNEL:
            recipients = [self.recipient.payload()] if self.recipient else []
            return {
                "id": str(self.id),
                "type": DM_CHANNEL,
                "last_message_id": None,
                "recipients": recipients,
                "flags": 0,
            }
        data: Json = {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [o.payload() for o in self.overwrites],
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": str(self.parent_id) if self.parent_id else None,
            "flags": 0,
        }
        if self.is_thread:
            data.update(
                owner_id=str(self.owner_id),
                message_count=0,
                member_count=1,
                total_message_sent=0,
                thread_metadata={
                    "archived": self.archived,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": self.created_at,
                    "locked": self.locked,
                    "create_timestamp": self.created_at,
                },
            )
        return data


@dataclass
class FakeMember:
    """A user's membership in one guild, with the ids of the roles it holds."""

    user: FakeUser
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)

    def payload(self, *, with_user: bool = True) -> Json:
        """The guild member object; resolved data and message authors omit the user."""
        data: Json = {
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(role_id) for role_id in self.role_ids],
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class FakeGuild:
    """A Discord server with its roles, channels (threads included) and members."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, FakeRole] = field(default_factory=dict)
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    members: dict[int, FakeMember] = field(default_factory=dict)
    #: where Discord posts its own notices (joins, boosts), or None
    system_channel_id: int | None = None

    @property
    def everyone_role(self) -> FakeRole:
        """The @everyone role, which shares the guild's id."""
        return self.roles[self.id]

    def role_named(self, name: str) -> FakeRole:
        """The role called ``name``; raises KeyError if there is none."""
        for role in self.roles.values():
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r} in guild {self.name!r}")

    def channel_named(self, name: str) -> FakeChannel:
        """The channel or thread called ``name``; raises KeyError if there is none."""
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"no channel named {name!r} in guild {self.name!r}")

    def payload(self, *, members: list[FakeMember], joining: bool = False) -> Json:
        """The GUILD_CREATE payload, listing the given members. When the bot has just joined
        the guild, Discord leaves out ``unavailable`` (discord.py tells a join from a guild
        coming back by it)."""
        data: Json = {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [role.payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(self.system_channel_id) if self.system_channel_id else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": iso_now(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "members": [member.payload() for member in members],
            "channels": [c.payload() for c in self.channels.values() if not c.is_thread],
            "threads": [c.payload() for c in self.channels.values() if c.is_thread],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
        if joining:
            del data["unavailable"]
        return data


@dataclass
class FakeAttachment:
    """A file stored by the fake and downloadable from ``url`` (served by the fake itself)."""

    id: int
    filename: str
    content: bytes
    content_type: str
    url: str

    def payload(self) -> Json:
        """The attachment object as Discord sends it."""
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.content),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }


@dataclass
class FakeMessage:
    """A message in a channel, or an ephemeral interaction response visible to one user only.

    ``content``, ``embeds``, ``components`` and ``flags`` are what the bot sent (and later edited);
    ``edits`` keeps every edit body in order.
    """

    id: int
    channel_id: int
    guild_id: int | None
    author: FakeUser
    content: str = ""
    embeds: list[Json] = field(default_factory=list)
    components: list[Json] = field(default_factory=list)
    attachments: list[FakeAttachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    webhook_id: int | None = None
    interaction_metadata: Json | None = None
    edits: list[Json] = field(default_factory=list)
    #: the roles the message pinged (see ``mentions.pinged_roles``)
    mention_roles: list[int] = field(default_factory=list)
    timestamp: str = field(default_factory=iso_now)
    edited_timestamp: str | None = None

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user can see this message."""
        return bool(self.flags & EPHEMERAL_FLAG)

    @property
    def loading(self) -> bool:
        """Whether this is still the "thinking..." placeholder of a deferred response."""
        return bool(self.flags & LOADING_FLAG)

    def text(self) -> str:
        """Content plus every embed's title, description and fields, for simple assertions."""
        parts = [self.content]
        for embed in self.embeds:
            parts.extend(str(embed.get(key, "")) for key in ("title", "description"))
            for embed_field in embed.get("fields", []):
                parts.extend((str(embed_field.get("name", "")), str(embed_field.get("value", ""))))
            parts.append(str(embed.get("footer", {}).get("text", "")))
        return "\n".join(part for part in parts if part)

    def custom_ids(self) -> list[str]:
        """The custom ids of every interactive component on this message."""
        return [str(c["custom_id"]) for c in iter_components(self.components) if "custom_id" in c]

    def payload(self) -> Json:
        """The message object as Discord sends it."""
        data: Json = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [str(role_id) for role_id in self.mention_roles],
            "attachments": [attachment.payload() for attachment in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
            data["application_id"] = str(self.webhook_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        return data


def iter_components(components: list[Json]) -> list[Json]:
    """Every component in a component tree, depth first (rows, containers and their children)."""
    found: list[Json] = []
    for component in components:
        found.append(component)
        found.extend(iter_components(list(component.get("components", []))))
        if isinstance(component.get("component"), dict):
            found.extend(iter_components([component["component"]]))
        if isinstance(component.get("accessory"), dict):
            found.append(component["accessory"])
    return found


@dataclass
class FakeApplication:
    """The bot's application: its id, its bot user and the privileged intents it may use."""

    id: int
    name: str
    bot: FakeUser
    owner: FakeUser
    flags: int

    def payload(self) -> Json:
        """The application object as ``GET /oauth2/applications/@me`` returns it."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": self.bot.payload(),
            "owner": self.owner.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": self.flags,
            "tags": [],
            "install_params": None,
            "custom_install_url": None,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "role_connections_verification_url": None,
            "approximate_guild_count": 1,
            "integration_types_config": {"0": {}},
        }
