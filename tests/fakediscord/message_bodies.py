"""Turning a validated request body into a stored message, or into an edit of one.

Shared by channel messages, interaction responses, followups and webhook edits.
"""

from __future__ import annotations

from typing import Any

from .errors import REQUEST_TOO_LARGE, DiscordHTTPError
from .interaction_payloads import ATTACHMENT_SIZE_LIMIT
from .mentions import pinged_roles
from .message_rules import validate_message_body
from .models import EPHEMERAL_FLAG, FakeAttachment, FakeChannel, FakeMessage, FakeUser, Json
from .request_body import RequestBody
from .snowflakes import iso_now
from .world import FakeWorld

SUPPRESS_EMBEDS = 1 << 2
SUPPRESS_NOTIFICATIONS = 1 << 12
COMPONENTS_V2 = 1 << 15
SETTABLE_FLAGS = EPHEMERAL_FLAG | SUPPRESS_EMBEDS | SUPPRESS_NOTIFICATIONS | COMPONENTS_V2


def new_message(
    world: FakeWorld,
    body: RequestBody,
    data: dict[str, Any],
    *,
    channel: FakeChannel,
    author: FakeUser,
    prefix: tuple[str | int, ...] = (),
    **extra: Any,
) -> FakeMessage:
    """Validate ``data`` (the message part of ``body``) and build the message it describes.

    The message is not stored; ``extra`` sets further FakeMessage fields (flags, type, ...).
    """
    validate_message_body(data, creating=True, has_files=bool(body.files), prefix=prefix)
    flags = int(data.get("flags") or 0) & SETTABLE_FLAGS | int(extra.pop("flags", 0))
    guild = world.guilds.get(channel.guild_id or 0)
    member = guild.members.get(author.id) if guild is not None else None
    return FakeMessage(
        id=world.ids.next(),
        channel_id=channel.id,
        guild_id=channel.guild_id,
        author=author,
        content=str(data.get("content") or ""),
        embeds=list(data.get("embeds") or []),
        components=list(data.get("components") or []),
        attachments=store_uploads(world, body),
        flags=flags,
        mention_roles=pinged_roles(world, data, channel, member),
        **extra,
    )


def apply_edit(
    world: FakeWorld,
    message: FakeMessage,
    body: RequestBody,
    data: Json,
    *,
    prefix: tuple[str | int, ...] = (),
) -> None:
    """Validate an edit body and apply it to ``message`` (absent fields keep their value)."""
    validate_message_body(data, creating=False, has_files=bool(body.files), prefix=prefix)
    for key in ("content", "embeds", "components"):
        if key in data:
            setattr(
                message,
                key,
                data[key] if data[key] is not None else ("" if key == "content" else []),
            )
    if "flags" in data and data["flags"] is not None:
        ephemeral = message.flags & EPHEMERAL_FLAG
        message.flags = ephemeral | (int(data["flags"]) & SETTABLE_FLAGS & ~EPHEMERAL_FLAG)
    if "attachments" in data or body.files:
        kept_ids = {str(item.get("id")) for item in data.get("attachments") or []}
        kept = [a for a in message.attachments if str(a.id) in kept_ids]
        message.attachments = kept + store_uploads(world, body)
    message.edits.append(data)
    message.edited_timestamp = iso_now()


def store_uploads(world: FakeWorld, body: RequestBody) -> list[FakeAttachment]:
    """Keep the uploaded files as attachments the fake serves; oversize uploads are refused."""
    attachments = []
    for upload in body.files:
        if len(upload.data) > ATTACHMENT_SIZE_LIMIT:
            raise DiscordHTTPError(
                413,
                REQUEST_TOO_LARGE,
                "Request entity too large",
                detail=f"{upload.filename} is {len(upload.data)} bytes",
            )
        attachments.append(world.make_attachment(upload.filename, upload.data, upload.content_type))
    return attachments
