"""Guild routes: the guild, its channels, roles and members, and role grants.

Role changes follow Discord's hierarchy: the bot needs MANAGE_ROLES and may only touch roles
strictly below its highest role; otherwise 403 Missing Permissions (50013).
"""

from __future__ import annotations

from aiohttp import web

from .access import guild_or_404, member_or_404, require_role_management, role_or_404
from .app_context import fake_of, json_response, no_content, snowflake_param
from .errors import bad_value, check_length, invalid_form_body, missing_permissions
from .models import FakeGuild, FakeMember
from .permissions import ALL_PERMISSIONS, MANAGE_ROLES, guild_permissions
from .request_body import read_body


def add_guild_routes(app: web.Application, api: str) -> None:
    """Register the guild, role and member routes under ``api``."""
    guild = f"{api}/guilds/{{guild_id}}"
    member = f"{guild}/members/{{user_id}}"
    app.router.add_get(guild, get_guild)
    app.router.add_get(f"{guild}/channels", list_channels)
    app.router.add_get(f"{guild}/roles", list_roles)
    app.router.add_post(f"{guild}/roles", create_role)
    app.router.add_get(f"{guild}/members", list_members)
    app.router.add_get(f"{guild}/members/search", search_members)
    app.router.add_get(member, get_member)
    app.router.add_patch(member, edit_member)
    app.router.add_put(f"{member}/roles/{{role_id}}", grant_role)
    app.router.add_delete(f"{member}/roles/{{role_id}}", revoke_role)


def _guild(request: web.Request) -> FakeGuild:
    return guild_or_404(fake_of(request), snowflake_param(request, "guild_id"))


def _member(request: web.Request, guild: FakeGuild) -> FakeMember:
    return member_or_404(guild, snowflake_param(request, "user_id"))


async def get_guild(request: web.Request) -> web.Response:
    """``GET /guilds/{id}`` (without members, as Discord answers it)."""
    guild = _guild(request)
    payload = guild.payload(members=[])
    payload.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
    return json_response(payload)


async def list_channels(request: web.Request) -> web.Response:
    """``GET /guilds/{id}/channels`` (threads excluded)."""
    channels = [c.payload() for c in _guild(request).channels.values() if not c.is_thread]
    return json_response(channels)


async def list_roles(request: web.Request) -> web.Response:
    """``GET /guilds/{id}/roles``."""
    return json_response([r.payload() for r in _guild(request).roles.values()])


async def create_role(request: web.Request) -> web.Response:
    """``POST /guilds/{id}/roles``: a new role at position 1 (mentionable if asked); needs
    MANAGE_ROLES."""
    fake = fake_of(request)
    guild = _guild(request)
    bot_permissions = guild_permissions(guild, fake.bot_member(guild))
    body = (await read_body(request)).object()
    permissions = int(body.get("permissions") or 0)
    if not bot_permissions & MANAGE_ROLES or permissions & ~bot_permissions & ALL_PERMISSIONS:
        raise missing_permissions(
            "creating a role needs MANAGE_ROLES and only permissions the bot has itself"
        )
    name = str(body.get("name") or "new role")
    problems = check_length(("name",), name, 100)
    if problems:
        raise invalid_form_body(problems)
    role = fake.add_role(
        guild, name, permissions=permissions, mentionable=bool(body.get("mentionable"))
    )
    fake.signal.changed()
    return json_response(role.payload())


async def list_members(request: web.Request) -> web.Response:
    """``GET /guilds/{id}/members``: ordered by user id, honouring limit/after."""
    guild = _guild(request)
    after = int(request.query.get("after", 0))
    limit = int(request.query.get("limit", 1))
    members = sorted(
        (m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id
    )[:limit]
    return json_response([m.payload() for m in members])


async def search_members(request: web.Request) -> web.Response:
    """``GET /guilds/{id}/members/search?query=``: username prefix search."""
    guild = _guild(request)
    query = request.query.get("query", "").lower()
    limit = int(request.query.get("limit", 1))
    found = [m for m in guild.members.values() if m.user.username.lower().startswith(query)]
    return json_response([m.payload() for m in found[:limit]])


async def get_member(request: web.Request) -> web.Response:
    """``GET /guilds/{id}/members/{user_id}``."""
    guild = _guild(request)
    return json_response(_member(request, guild).payload())


async def edit_member(request: web.Request) -> web.Response:
    """``PATCH /guilds/{id}/members/{user_id}``: replacing the role list (each change checked)."""
    fake = fake_of(request)
    guild = _guild(request)
    member = _member(request, guild)
    body = (await read_body(request)).object()
    unsupported = set(body) - {"roles", "nick"}
    if unsupported:
        raise invalid_form_body(
            [bad_value((key,), "Not supported by the fake.") for key in sorted(unsupported)]
        )
    if "roles" in body:
        wanted = [int(role_id) for role_id in body["roles"] or []]
        for role_id in set(wanted) ^ set(member.role_ids):
            require_role_management(fake, guild, role_or_404(guild, role_id))
        member.role_ids = [role_id for role_id in dict.fromkeys(wanted) if role_id != guild.id]
    fake.announce_member_update(guild, member)
    fake.signal.changed()
    return json_response(member.payload())


async def grant_role(request: web.Request) -> web.Response:
    """``PUT /guilds/{id}/members/{user_id}/roles/{role_id}``."""
    return _change_role(request, add=True)


async def revoke_role(request: web.Request) -> web.Response:
    """``DELETE /guilds/{id}/members/{user_id}/roles/{role_id}``."""
    return _change_role(request, add=False)


def _change_role(request: web.Request, *, add: bool) -> web.Response:
    fake = fake_of(request)
    guild = _guild(request)
    member = _member(request, guild)
    role = role_or_404(guild, snowflake_param(request, "role_id"))
    require_role_management(fake, guild, role)
    has_role = role.id in member.role_ids
    if add and not has_role:
        member.role_ids.append(role.id)
    elif not add and has_role:
        member.role_ids.remove(role.id)
    fake.announce_member_update(guild, member)
    fake.signal.changed()
    return no_content()
