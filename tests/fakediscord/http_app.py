"""The aiohttp application: every route, plus the middleware that enforces and records rules.

Every error answer is logged in ``fake.errors``. Rule breaks (4xx answers to the bot's requests,
anything on interaction routes, unimplemented routes, wrong auth) also go to
``fake.violations``; 403 Missing Permissions, Missing Access and "Cannot send messages to this
user" go to ``fake.permission_denials`` instead, because a bot is expected to meet them (a server
changed its permissions, a member closed their DMs) and handle them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

from .app_context import FAKE_KEY, fake_of, json_response
from .errors import (
    CANNOT_MESSAGE_USER,
    MISSING_ACCESS,
    MISSING_PERMISSIONS,
    UNAUTHORIZED,
    DiscordHTTPError,
)
from .routes_channels import add_channel_routes
from .routes_commands import UNKNOWN_APPLICATION, add_command_routes
from .routes_guilds import add_guild_routes
from .routes_identity import add_identity_routes
from .routes_interactions import add_interaction_routes
from .routes_oauth import add_oauth_routes

if TYPE_CHECKING:
    from .fake_discord import FakeDiscord

API_PREFIX = "/api/v10"
VIOLATING_NOT_FOUND_CODES = {UNKNOWN_APPLICATION}
EXPECTED_REFUSAL_CODES = {MISSING_PERMISSIONS, MISSING_ACCESS, CANNOT_MESSAGE_USER}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_app(fake: FakeDiscord, gateway_handler: Handler) -> web.Application:
    """The aiohttp application serving the REST API, the gateway and attachments."""
    app = web.Application(middlewares=[enforce_discord_rules], client_max_size=64 * 1024 * 1024)
    app[FAKE_KEY] = fake
    app.router.add_get("/gateway", gateway_handler)
    add_identity_routes(app, API_PREFIX)
    add_command_routes(app, API_PREFIX)
    add_channel_routes(app, API_PREFIX)
    add_guild_routes(app, API_PREFIX)
    add_interaction_routes(app, API_PREFIX)
    add_oauth_routes(app)
    return app


@web.middleware
async def enforce_discord_rules(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Reject unknown routes and bad auth, turn DiscordHTTPError into responses, record both."""
    fake = fake_of(request)
    label = f"{request.method} {request.path}"
    if request.match_info.http_exception is not None:
        fake.report_violation(
            f"{label}: route not implemented by the fake (Discord API "
            "misuse, or a route the fake must learn)"
        )
        response: web.StreamResponse = json_response(
            {"message": "404: Not Found", "code": 0}, status=404
        )
    else:
        try:
            _check_authorization(request)
            response = await handler(request)
        except DiscordHTTPError as error:
            _record(request, error)
            response = error.response()
    fake.requests.append(f"{label} -> {response.status}")
    return response


def _check_authorization(request: web.Request) -> None:
    if not request.path.startswith(API_PREFIX) or "token" in request.match_info:
        return
    expected = f"Bot {fake_of(request).token}"
    if request.headers.get("Authorization") != expected:
        raise DiscordHTTPError(
            401,
            UNAUTHORIZED,
            "401: Unauthorized",
            detail="missing or wrong 'Authorization: Bot <token>' header",
        )


def _record(request: web.Request, error: DiscordHTTPError) -> None:
    fake = fake_of(request)
    text = f"{request.method} {request.path}: {error.describe()}"
    fake.errors.append(text)
    token = request.match_info.get("token")
    record = fake.interactions_by_token.get(token) if token else None
    if record is not None:
        record.errors.append(error.describe())
    if error.status == 403 and error.code in EXPECTED_REFUSAL_CODES:
        fake.permission_denials.append(text)
    elif error.status != 404 or token is not None or error.code in VIOLATING_NOT_FOUND_CODES:
        fake.report_violation(text)
    fake.signal.changed()
