"""Application command routes, global and per guild, validated as Discord validates them.

Re-registering a command with the same name and type keeps its id, as Discord does. The fake
does not model a server's own command permissions (Server Settings -> Integrations): any member
may send any command, as on a server that allowed it for everyone, so bots must check rights.
"""

from __future__ import annotations

from aiohttp import web

from .access import guild_or_404
from .app_context import fake_of, json_response, no_content, snowflake_param
from .command_rules import command_list_problems, command_problems
from .errors import (
    UNKNOWN_APPLICATION_COMMAND,
    DiscordHTTPError,
    bad_value,
    invalid_form_body,
    not_found,
)
from .models import Json
from .request_body import read_body

UNKNOWN_APPLICATION = 10002


def add_command_routes(app: web.Application, api: str) -> None:
    """Register the command routes for both scopes under ``api``."""
    for scope in (
        f"{api}/applications/{{application_id}}",
        f"{api}/applications/{{application_id}}/guilds/{{guild_id}}",
    ):
        app.router.add_get(f"{scope}/commands", list_commands)
        app.router.add_put(f"{scope}/commands", overwrite_commands)
        app.router.add_post(f"{scope}/commands", upsert_command)
        app.router.add_get(f"{scope}/commands/{{command_id}}", get_command)
        app.router.add_patch(f"{scope}/commands/{{command_id}}", edit_command)
        app.router.add_delete(f"{scope}/commands/{{command_id}}", delete_command)


def _scope(request: web.Request) -> int | None:
    fake = fake_of(request)
    if snowflake_param(request, "application_id") != fake.application.id:
        raise DiscordHTTPError(
            404,
            UNKNOWN_APPLICATION,
            "Unknown Application",
            detail="the application id is not the bot's",
        )
    if "guild_id" not in request.match_info:
        return None
    return guild_or_404(fake, snowflake_param(request, "guild_id")).id


def _stored(
    request: web.Request, scope: int | None, definition: Json, existing: list[Json]
) -> Json:
    fake = fake_of(request)
    kind = int(definition.get("type", 1))
    same = next(
        (
            c
            for c in existing
            if c["name"] == definition.get("name") and int(c.get("type", 1)) == kind
        ),
        None,
    )
    command: Json = {
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "nsfw": False,
        "contexts": None,
        "integration_types": [0],
        **definition,
        "id": same["id"] if same else str(fake.ids.next()),
        "application_id": str(fake.application.id),
        "type": kind,
        "version": str(fake.ids.next()),
    }
    _permissions_as_string(command)
    if scope is not None:
        command["guild_id"] = str(scope)
    return command


def _permissions_as_string(command: Json) -> None:
    """Discord takes default_member_permissions as a number or a string, answers a string."""
    if command.get("default_member_permissions") is not None:
        command["default_member_permissions"] = str(int(command["default_member_permissions"]))


def _synced(request: web.Request, scope: int | None, commands: list[Json]) -> web.Response:
    fake = fake_of(request)
    fake.commands[scope] = commands
    fake.command_syncs.append(scope)
    fake.signal.changed()
    return json_response(commands)


async def list_commands(request: web.Request) -> web.Response:
    """``GET .../commands``."""
    return json_response(fake_of(request).commands.get(_scope(request), []))


async def overwrite_commands(request: web.Request) -> web.Response:
    """``PUT .../commands``: bulk overwrite (what ``CommandTree.sync`` sends)."""
    scope = _scope(request)
    body = (await read_body(request)).payload
    if not isinstance(body, list):
        raise invalid_form_body([bad_value((), "Expected a list of commands.")])
    problems = command_list_problems(body)
    if problems:
        raise invalid_form_body(problems)
    existing = fake_of(request).commands.get(scope, [])
    return _synced(request, scope, [_stored(request, scope, c, existing) for c in body])


async def upsert_command(request: web.Request) -> web.Response:
    """``POST .../commands``: create or replace one command."""
    scope = _scope(request)
    definition = (await read_body(request)).object()
    problems = command_problems(definition)
    if problems:
        raise invalid_form_body(problems)
    existing = fake_of(request).commands.get(scope, [])
    command = _stored(request, scope, definition, existing)
    others = [c for c in existing if c["id"] != command["id"]]
    _synced(request, scope, [*others, command])
    return json_response(command)


def _find(request: web.Request, scope: int | None) -> Json:
    wanted = request.match_info["command_id"]
    for command in fake_of(request).commands.get(scope, []):
        if command["id"] == wanted:
            return command
    raise not_found(UNKNOWN_APPLICATION_COMMAND, "application command")


async def get_command(request: web.Request) -> web.Response:
    """``GET .../commands/{id}``."""
    return json_response(_find(request, _scope(request)))


async def edit_command(request: web.Request) -> web.Response:
    """``PATCH .../commands/{id}``."""
    scope = _scope(request)
    current = _find(request, scope)
    definition = {**current, **(await read_body(request)).object()}
    problems = command_problems(definition)
    if problems:
        raise invalid_form_body(problems)
    _permissions_as_string(definition)
    commands = [definition if c is current else c for c in fake_of(request).commands.get(scope, [])]
    _synced(request, scope, commands)
    return json_response(definition)


async def delete_command(request: web.Request) -> web.Response:
    """``DELETE .../commands/{id}``."""
    scope = _scope(request)
    current = _find(request, scope)
    remaining = [c for c in fake_of(request).commands.get(scope, []) if c is not current]
    _synced(request, scope, remaining)
    return no_content()
