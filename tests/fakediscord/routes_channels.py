"""Channel routes: reading channels, posting/editing/deleting messages, threads, DMs, typing."""

from __future__ import annotations

from aiohttp import web

from .access import channel_or_404, message_or_404, require_bot_permission
from .app_context import fake_of, json_response, no_content, snowflake_param
from .errors import DiscordHTTPError, bad_value, check_length, invalid_form_body
from .message_bodies import apply_edit, new_message
from .models import EPHEMERAL_FLAG, PRIVATE_THREAD, PUBLIC_THREAD, FakeChannel
from .permissions import (
    ADD_REACTIONS,
    CREATE_PUBLIC_THREADS,
    MANAGE_MESSAGES,
    MANAGE_THREADS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    SEND_MESSAGES_IN_THREADS,
)
from .request_body import read_body

CANNOT_EDIT_OTHERS = 50005
ARCHIVED_THREAD = 50083


def add_channel_routes(app: web.Application, api: str) -> None:
    """Register the channel, message, thread and DM routes under ``api``."""
    channel = f"{api}/channels/{{channel_id}}"
    message = f"{channel}/messages/{{message_id}}"
    app.router.add_get(channel, get_channel)
    app.router.add_patch(channel, edit_thread)
    app.router.add_get(f"{channel}/messages", list_messages)
    app.router.add_post(f"{channel}/messages", create_message)
    app.router.add_get(message, get_message)
    app.router.add_patch(message, edit_message)
    app.router.add_delete(message, delete_message)
    app.router.add_put(f"{message}/reactions/{{emoji}}/@me", add_reaction)
    app.router.add_post(f"{message}/threads", create_thread_from_message)
    app.router.add_post(f"{channel}/threads", create_thread)
    app.router.add_put(f"{channel}/thread-members/@me", join_thread)
    app.router.add_post(f"{channel}/typing", trigger_typing)
    app.router.add_post(f"{api}/users/@me/channels", open_dm)


def _channel(request: web.Request) -> FakeChannel:
    return channel_or_404(fake_of(request), snowflake_param(request, "channel_id"))


async def get_channel(request: web.Request) -> web.Response:
    """``GET /channels/{id}``."""
    return json_response(_channel(request).payload())


async def edit_thread(request: web.Request) -> web.Response:
    """``PATCH /channels/{id}`` for a thread: archiving and locking (other channel edits are
    not supported by the fake). Reopening a thread needs Send Messages in Threads, a locked
    one (or locking) Manage Threads; anything else needs Manage Threads too."""
    fake = fake_of(request)
    thread = _channel(request)
    body = (await read_body(request)).object()
    unsupported = set(body) - {"archived", "locked"}
    if not thread.is_thread or unsupported:
        raise invalid_form_body([bad_value(("channel_id",), "The fake edits threads' state only.")])
    archived = bool(body.get("archived", thread.archived))
    locked = bool(body.get("locked", thread.locked))
    if locked or thread.locked or archived:
        require_bot_permission(fake, thread, MANAGE_THREADS, "manage threads")
    require_bot_permission(fake, thread, SEND_MESSAGES_IN_THREADS, "send messages")
    thread.archived, thread.locked = archived, locked
    fake.announce_thread_update(thread)
    fake.signal.changed()
    return json_response(thread.payload())


async def list_messages(request: web.Request) -> web.Response:
    """``GET /channels/{id}/messages``: newest first, honouring limit/before/after."""
    fake = fake_of(request)
    channel = _channel(request)
    require_bot_permission(fake, channel, READ_MESSAGE_HISTORY, "read message history")
    messages = fake.messages_in(channel)
    if "before" in request.query:
        messages = [m for m in messages if m.id < int(request.query["before"])]
    if "after" in request.query:
        messages = [m for m in messages if m.id > int(request.query["after"])]
    limit = int(request.query.get("limit", 50))
    if not 1 <= limit <= 100:
        raise invalid_form_body([bad_value(("limit",), "Must be between 1 and 100.")])
    newest = list(reversed(messages))[:limit]
    return json_response([m.payload() for m in newest])


async def create_message(request: web.Request) -> web.Response:
    """``POST /channels/{id}/messages``."""
    fake = fake_of(request)
    channel = _channel(request)
    if channel.is_thread:
        require_bot_permission(fake, channel, SEND_MESSAGES_IN_THREADS, "send messages")
        if channel.archived:
            raise DiscordHTTPError(400, ARCHIVED_THREAD, "Thread is archived")
    else:
        require_bot_permission(fake, channel, SEND_MESSAGES, "send messages")
    body = await read_body(request)
    message = new_message(fake, body, body.object(), channel=channel, author=fake.bot_user)
    message.flags &= ~EPHEMERAL_FLAG
    fake.store_message(message)
    fake.signal.changed()
    return json_response(message.payload())


async def get_message(request: web.Request) -> web.Response:
    """``GET /channels/{id}/messages/{id}``."""
    fake = fake_of(request)
    channel = _channel(request)
    message = message_or_404(fake, channel, snowflake_param(request, "message_id"))
    return json_response(message.payload())


async def edit_message(request: web.Request) -> web.Response:
    """``PATCH /channels/{id}/messages/{id}``: only the bot's own messages."""
    fake = fake_of(request)
    channel = _channel(request)
    message = message_or_404(fake, channel, snowflake_param(request, "message_id"))
    if message.author.id != fake.bot_user.id:
        raise DiscordHTTPError(
            403, CANNOT_EDIT_OTHERS, "Cannot edit a message authored by another user"
        )
    body = await read_body(request)
    apply_edit(fake, message, body, body.object())
    fake.announce_edit(message)
    fake.signal.changed()
    return json_response(message.payload())


async def delete_message(request: web.Request) -> web.Response:
    """``DELETE /channels/{id}/messages/{id}``: others' messages need MANAGE_MESSAGES."""
    fake = fake_of(request)
    channel = _channel(request)
    message = message_or_404(fake, channel, snowflake_param(request, "message_id"))
    if message.author.id != fake.bot_user.id:
        require_bot_permission(fake, channel, MANAGE_MESSAGES, "delete others' messages")
    fake.delete_message(message)
    fake.signal.changed()
    return no_content()


async def add_reaction(request: web.Request) -> web.Response:
    """``PUT /channels/{id}/messages/{id}/reactions/{emoji}/@me`` (accepted, not stored)."""
    fake = fake_of(request)
    channel = _channel(request)
    message_or_404(fake, channel, snowflake_param(request, "message_id"))
    require_bot_permission(fake, channel, ADD_REACTIONS, "add reactions")
    return no_content()


async def create_thread_from_message(request: web.Request) -> web.Response:
    """``POST /channels/{id}/messages/{id}/threads``: a public thread sharing the message id."""
    fake = fake_of(request)
    channel = _channel(request)
    message = message_or_404(fake, channel, snowflake_param(request, "message_id"))
    thread = await _new_thread(request, channel, thread_id=message.id, kind=PUBLIC_THREAD)
    return json_response(thread.payload())


async def create_thread(request: web.Request) -> web.Response:
    """``POST /channels/{id}/threads``: a thread without a starter message."""
    fake = fake_of(request)
    thread = await _new_thread(request, _channel(request), thread_id=fake.ids.next(), kind=None)
    return json_response(thread.payload())


async def _new_thread(
    request: web.Request, parent: FakeChannel, *, thread_id: int, kind: int | None
) -> FakeChannel:
    fake = fake_of(request)
    require_bot_permission(fake, parent, CREATE_PUBLIC_THREADS, "create threads")
    body = (await read_body(request)).object()
    name = body.get("name")
    problems = check_length(("name",), name, 100)
    if not isinstance(name, str) or not name:
        problems.append(bad_value(("name",), "This field is required."))
    thread_kind = kind or int(body.get("type") or PRIVATE_THREAD)
    if thread_kind not in (PUBLIC_THREAD, PRIVATE_THREAD):
        problems.append(bad_value(("type",), "Threads are of type 11 or 12."))
    guild = fake.guilds.get(parent.guild_id or 0)
    if parent.is_thread or guild is None:
        problems.append(bad_value(("channel_id",), "Threads need a guild text channel."))
    if thread_id in (guild.channels if guild else {}):
        problems.append(bad_value(("message_id",), "A thread already exists for this message."))
    if problems or guild is None:
        raise invalid_form_body(problems)
    thread = FakeChannel(
        thread_id, str(name), thread_kind, guild.id, parent_id=parent.id, owner_id=fake.bot_user.id
    )
    guild.channels[thread.id] = thread
    fake.announce_thread(thread)
    fake.signal.changed()
    return thread


async def join_thread(request: web.Request) -> web.Response:
    """``PUT /channels/{id}/thread-members/@me``."""
    _channel(request)
    return no_content()


async def trigger_typing(request: web.Request) -> web.Response:
    """``POST /channels/{id}/typing``."""
    _channel(request)
    return no_content()


async def open_dm(request: web.Request) -> web.Response:
    """``POST /users/@me/channels``: the bot's DM channel with a user."""
    fake = fake_of(request)
    body = (await read_body(request)).object()
    user = fake.users.get(int(body.get("recipient_id") or 0))
    if user is None:
        raise invalid_form_body([bad_value(("recipient_id",), "Unknown user.")])
    return json_response(fake.open_dm(user).payload())
