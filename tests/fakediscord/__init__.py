"""A fake Discord (REST API v10 + Gateway) for end-to-end tests of the bot with real discord.py.

The fake is an aiohttp server on 127.0.0.1 (a free port). The real discord.py client logs in,
connects to its gateway (JSON, ``zlib-stream`` transport compression), syncs commands and answers
interactions that tests send. The fake enforces Discord's rules and records every break.

Pointing discord.py at it
-------------------------
discord.py 2.x reads two class attributes (see :mod:`.discord_py_config`)::

    discord.http.Route.BASE = "http://127.0.0.1:PORT/api/v10"          # DISCORD_API_BASE
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        "ws://127.0.0.1:PORT/gateway")                                   # DISCORD_GATEWAY_URL

``configure_discord_py(api_base, gateway_url)`` does exactly that. A plain ``Client``/``Bot``
never calls ``GET /gateway/bot`` (only an ``AutoShardedClient`` without a shard count does; the
fake answers it with its own URL), so setting ``Route.BASE`` alone is not enough. After READY
discord.py resumes through ``resume_gateway_url``, which the fake sets to itself. The bot token
is ``fake.token``.

Typical test
------------
::

    async with running_fake() as fake:
        guild = fake.create_guild()                       # @everyone, bot role, bot member
        channel = fake.add_text_channel(guild, "general")
        ada = fake.add_member(guild, "ada")
        async with running_bot(fake, make_bot(guild_ready_timeout=0.1)):
            await fake.wait_for_command_sync(guild)
            record = await fake.send_slash(channel, ada, "submit", {"task": "sum-of-digits"})
            modal = await record.wait_for_modal()
            reply = await fake.submit_modal(record, {"Code": "print(1)"})
            message = await reply.wait_for_response()
        fake.assert_no_violations()

Sharding
--------
As Discord does: a session that IDENTIFYs with ``shard: [shard_id, num_shards]`` holds the guilds
with ``(guild_id >> 22) % num_shards == shard_id`` (READY, GUILD_CREATE and every event of those
guilds, interactions included); DMs go to shard 0; a session without ``shard`` holds everything.
``FakeDiscord(shards=N)`` makes ``GET /gateway/bot`` recommend N shards, and
``create_guild(..., shard=(shard_id, num_shards))`` makes a guild on a chosen shard. Several
bots (a process per shard range) can connect to one fake.

Rule logs: ``fake.violations`` (broken rules: must stay empty), ``fake.permission_denials``
(403 Missing Permissions, a legitimate outcome the bot must handle), ``fake.errors`` (every
error answer), ``fake.requests`` (every request with its status).

Channel permission overwrites (``set_channel_overwrite``) apply to the bot's requests as Discord
applies them (403 Missing Access without View Channel, Missing Permissions otherwise); the bot's
direct messages are refused (403, code 50007) to a user with ``dms_closed``, to a bot, and to a
user who shares no server with the bot.

Role mentions follow ``allowed_mentions`` and the role's ``mentionable`` flag (or the bot's
Mention Everyone); what a message pinged is in ``FakeMessage.mention_roles``. Archived threads
(``set_thread_state``) refuse messages (400, code 50083) until reopened with
``PATCH /channels/{id}``, a locked one only with Manage Threads. Modals may hold checkboxes in
labels; ``submit_modal`` takes a bool for them (left out: the checkbox's default).

Sign in with Discord: ``fake.oauth`` is the application's OAuth2 side (see :mod:`.oauth`). Point
a site's OAuth2 client at ``fake.base_url`` (``/oauth2/authorize``, ``/api/oauth2/token``,
``/api/users/@me``) with ``fake.oauth.client_id`` and ``client_secret``, register its callback in
``fake.oauth.redirect_uris`` and set ``fake.oauth.signed_in`` to the user at the browser; the
consent page then offers Authorize and Cancel (or approves at once with ``auto_approve``). Codes
are single-use, bound to the redirect URI and the PKCE challenge, and expire after ten minutes;
refusals answer with Discord's ``{"error": "invalid_grant", ...}`` and are listed in
``fake.oauth.refusals``.

Known gaps: no rate limiting (no rate-limit headers are sent, which discord.py accepts); no
category permission sync; no voice, presences, reactions storage, polls, stickers, forum
channels, ETF encoding or zstd compression; components v2 are checked only for their total count
and the button/select rules.
"""

from .discord_py_config import configure_discord_py, discord_py_pointed_at
from .fake_discord import FakeDiscord
from .fixtures import running_bot, running_fake
from .interaction_record import InteractionRecord
from .models import (
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
)

__all__ = [
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeMessage",
    "FakeRole",
    "FakeUser",
    "InteractionRecord",
    "configure_discord_py",
    "discord_py_pointed_at",
    "running_bot",
    "running_fake",
]
