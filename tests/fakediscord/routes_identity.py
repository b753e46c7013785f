"""Routes a bot hits while starting: who am I, which application, where is the gateway.

Also serves the attachment files (the fake's own CDN).
"""

from __future__ import annotations

from aiohttp import web

from .app_context import fake_of, json_response, snowflake_param
from .errors import UNKNOWN_USER, not_found


def add_identity_routes(app: web.Application, api: str) -> None:
    """Register user, application, gateway and attachment routes."""
    app.router.add_get(f"{api}/users/@me", get_current_user)
    app.router.add_get(f"{api}/users/{{user_id}}", get_user)
    app.router.add_get(f"{api}/oauth2/applications/@me", get_application)
    app.router.add_get(f"{api}/applications/@me", get_application)
    app.router.add_get(f"{api}/gateway", get_gateway)
    app.router.add_get(f"{api}/gateway/bot", get_gateway_bot)
    app.router.add_get("/attachments/{attachment_id}/{filename}", download_attachment)


async def get_current_user(request: web.Request) -> web.Response:
    """``GET /users/@me``: the bot user (discord.py's login)."""
    user = fake_of(request).bot_user.payload()
    return json_response({**user, "verified": True, "mfa_enabled": False})


async def get_user(request: web.Request) -> web.Response:
    """``GET /users/{id}``."""
    user = fake_of(request).users.get(snowflake_param(request, "user_id"))
    if user is None:
        raise not_found(UNKNOWN_USER, "User")
    return json_response(user.payload())


async def get_application(request: web.Request) -> web.Response:
    """``GET /oauth2/applications/@me`` (discord.py's ``application_info``)."""
    return json_response(fake_of(request).application.payload())


async def get_gateway(request: web.Request) -> web.Response:
    """``GET /gateway``."""
    return json_response({"url": fake_of(request).gateway_url})


async def get_gateway_bot(request: web.Request) -> web.Response:
    """``GET /gateway/bot`` (used by sharded clients): the URL and the recommended shard count."""
    fake = fake_of(request)
    return json_response(
        {
            "url": fake.gateway_url,
            "shards": fake.shards,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }
    )


async def download_attachment(request: web.Request) -> web.Response:
    """An attachment's bytes, as Discord's CDN serves them."""
    attachment = fake_of(request).attachments.get(snowflake_param(request, "attachment_id"))
    if attachment is None or attachment.filename != request.match_info["filename"]:
        raise web.HTTPNotFound()
    return web.Response(body=attachment.content, content_type=attachment.content_type.split(";")[0])
