"""Building INTERACTION_CREATE payloads the way Discord's client and servers would.

Inputs are checked the way the Discord client checks them (registered command, known options,
required values, allowed choices, existing components), so a test cannot send something a real
user could not; misuse raises ValueError or LookupError in the test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import (
    FakeAttachment,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeMessage,
    FakeRole,
    FakeUser,
    Json,
    iter_components,
)
from .permissions import channel_permissions, guild_permissions
from .world import FakeWorld

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = (
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
)
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
CHECKBOX = 23
GUILD_CONTEXT, BOT_DM_CONTEXT = 0, 1


def find_command(world: FakeWorld, guild: FakeGuild | None, name: str, kind: int) -> Json:
    """The synced command a user would pick: the guild's own first, then the global one."""
    scopes = ([guild.id] if guild else []) + [None]
    for scope in scopes:
        for command in world.commands.get(scope, []):
            if command["name"] == name and int(command.get("type", CHAT_INPUT)) == kind:
                return command
    raise LookupError(f"command {name!r} (type {kind}) is not registered; did the bot sync?")


def envelope(
    world: FakeWorld,
    *,
    interaction_id: int,
    token: str,
    kind: int,
    data: Json,
    channel: FakeChannel,
    user: FakeUser | FakeMember,
) -> Json:
    """The common interaction fields discord.py reads, for a guild channel or a DM."""
    account = user.user if isinstance(user, FakeMember) else user
    payload: Json = {
        "id": str(interaction_id),
        "application_id": str(world.application.id),
        "type": kind,
        "data": data,
        "token": token,
        "version": 1,
        "channel_id": str(channel.id),
        "channel": {**channel.payload(), "permissions": "0"},
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    guild = world.guilds.get(channel.guild_id or 0)
    if guild is None:
        payload.update(
            user=account.payload(),
            context=BOT_DM_CONTEXT,
            app_permissions=str(0),
            authorizing_integration_owners={"0": str(account.id)},
        )
        return payload
    member = guild.members.get(account.id)
    if member is None:
        raise ValueError(f"{account.username} is not a member of {guild.name}")
    permissions = str(channel_permissions(guild, channel, member))
    payload["channel"]["permissions"] = permissions
    payload.update(
        guild_id=str(guild.id),
        guild={"id": str(guild.id), "locale": "en-US", "features": []},
        guild_locale="en-US",
        member={**member.payload(), "permissions": permissions},
        app_permissions=str(channel_permissions(guild, channel, world.bot_member(guild))),
        authorizing_integration_owners={"0": str(guild.id)},
        context=GUILD_CONTEXT,
    )
    return payload


def chat_input_data(
    world: FakeWorld,
    guild: FakeGuild | None,
    name: str,
    options: Mapping[str, Any],
    focused: str | None = None,
) -> Json:
    """``data`` of a slash command (``name`` may be "group sub" or "command sub")."""
    root, *path = name.split()
    command = find_command(world, guild, root, CHAT_INPUT)
    data: Json = {"id": command["id"], "name": root, "type": CHAT_INPUT}
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    schema: list[Json] = list(command.get("options") or [])
    wrappers: list[Json] = []
    for part in path:
        option = next(
            (
                o
                for o in schema
                if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if option is None:
            raise LookupError(f"{name!r}: {part!r} is not a subcommand of the registered command")
        wrappers.append({"type": option["type"], "name": part})
        schema = list(option.get("options") or [])
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in schema):
        raise LookupError(f"{name!r} names a command group; add its subcommand")
    resolved: Json = {}
    leaf = _leaf_options(guild, schema, options, focused, resolved, name)
    for wrapper in reversed(wrappers):
        wrapper["options"] = leaf
        leaf = [wrapper]
    data["options"] = leaf
    if resolved:
        data["resolved"] = resolved
    return data


def _leaf_options(
    guild: FakeGuild | None,
    schema: list[Json],
    values: Mapping[str, Any],
    focused: str | None,
    resolved: Json,
    name: str,
) -> list[Json]:
    by_name = {o["name"]: o for o in schema}
    unknown = set(values) - set(by_name)
    if unknown:
        raise ValueError(f"{name!r} has no option(s) {sorted(unknown)}; it has {sorted(by_name)}")
    if focused is None:
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
        if missing:
            raise ValueError(f"{name!r}: required option(s) {missing} are missing")
    elif focused not in by_name or not by_name[focused].get("autocomplete"):
        raise ValueError(f"{name!r}: option {focused!r} does not autocomplete")
    options = []
    for option_name, value in values.items():
        spec = by_name[option_name]
        if option_name == focused:
            options.append(
                {"type": spec["type"], "name": option_name, "value": str(value), "focused": True}
            )
            continue
        options.append(
            {
                "type": spec["type"],
                "name": option_name,
                "value": _option_value(guild, spec, value, resolved),
            }
        )
    return options


def _option_value(guild: FakeGuild | None, spec: Json, value: Any, resolved: Json) -> Any:
    kind = spec["type"]
    choices = [choice["value"] for choice in spec.get("choices") or []]
    if choices and value not in choices:
        raise ValueError(f"option {spec['name']!r} only accepts {choices}, not {value!r}")
    scalar_types: dict[int, type | tuple[type, ...]] = {
        STRING: str,
        INTEGER: int,
        NUMBER: (int, float),
        BOOLEAN: bool,
    }
    expected = scalar_types.get(kind)
    if expected is not None:
        if not isinstance(value, expected) or (kind == INTEGER and isinstance(value, bool)):
            raise ValueError(f"option {spec['name']!r} needs a {expected}, got {value!r}")
        return value
    if kind == ATTACHMENT and isinstance(value, FakeAttachment):
        resolved.setdefault("attachments", {})[str(value.id)] = value.payload()
        return str(value.id)
    if kind in (USER, MENTIONABLE) and isinstance(value, FakeUser | FakeMember):
        return _resolve_user(guild, value, resolved)
    if kind in (ROLE, MENTIONABLE) and isinstance(value, FakeRole):
        resolved.setdefault("roles", {})[str(value.id)] = value.payload()
        return str(value.id)
    if kind == CHANNEL and isinstance(value, FakeChannel):
        resolved.setdefault("channels", {})[str(value.id)] = {**value.payload(), "permissions": "0"}
        return str(value.id)
    raise ValueError(f"option {spec['name']!r} (type {kind}) cannot take {value!r}")


def _resolve_user(guild: FakeGuild | None, value: FakeUser | FakeMember, resolved: Json) -> str:
    user = value.user if isinstance(value, FakeMember) else value
    resolved.setdefault("users", {})[str(user.id)] = user.payload()
    member = guild.members.get(user.id) if guild else None
    if guild is not None and member is not None:
        resolved.setdefault("members", {})[str(user.id)] = {
            **member.payload(with_user=False),
            "permissions": str(guild_permissions(guild, member)),
        }
    return str(user.id)


def message_command_data(
    world: FakeWorld, guild: FakeGuild | None, name: str, target: FakeMessage
) -> Json:
    """``data`` of a message context-menu command aimed at ``target``."""
    resolved = {"messages": {str(target.id): target.payload()}}
    return _context_menu_data(world, guild, name, MESSAGE_COMMAND, target.id, resolved)


def user_command_data(
    world: FakeWorld, guild: FakeGuild | None, name: str, target: FakeUser | FakeMember
) -> Json:
    """``data`` of a user context-menu command aimed at ``target``."""
    resolved: Json = {}
    target_id = _resolve_user(guild, target, resolved)
    return _context_menu_data(world, guild, name, USER_COMMAND, int(target_id), resolved)


def _context_menu_data(
    world: FakeWorld, guild: FakeGuild | None, name: str, kind: int, target_id: int, resolved: Json
) -> Json:
    command = find_command(world, guild, name, kind)
    data: Json = {
        "id": command["id"],
        "name": name,
        "type": kind,
        "target_id": str(target_id),
        "resolved": resolved,
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def component_data(message: FakeMessage, custom_id: str, values: list[str] | None) -> Json:
    """``data`` of a button click (``values`` None) or a select-menu choice."""
    component = next(
        (c for c in iter_components(message.components) if c.get("custom_id") == custom_id), None
    )
    if component is None:
        raise LookupError(
            f"message {message.id} has no component {custom_id!r}; it has {message.custom_ids()}"
        )
    if component.get("disabled"):
        raise ValueError(f"component {custom_id!r} is disabled")
    kind = int(component["type"])
    if values is None:
        if kind != 2:
            raise ValueError(f"component {custom_id!r} is not a button (type {kind})")
        return {"custom_id": custom_id, "component_type": kind}
    if kind == 2:
        raise ValueError(f"component {custom_id!r} is a button; use click_button")
    if kind == 3:
        allowed = [option["value"] for option in component.get("options", [])]
        if any(value not in allowed for value in values):
            raise ValueError(f"select {custom_id!r} offers {allowed}, not {values}")
    if not component.get("min_values", 1) <= len(values) <= component.get("max_values", 1):
        raise ValueError(f"select {custom_id!r} needs between min_values and max_values choices")
    return {"custom_id": custom_id, "component_type": kind, "values": values}


def modal_submit_data(modal: Json, values: Mapping[str, Any]) -> Json:
    """``data`` of a modal submission; ``values`` are keyed by custom_id or by label. A
    checkbox left out keeps its default, as when the user does not touch it."""
    used: set[str] = set()
    components = []
    for top in modal.get("components", []):
        if top.get("type") == 1:
            child = top["components"][0]
            filled = _filled_input(child, child.get("label"), values, used)
            components.append({"type": 1, "components": [filled]})
        elif top.get("type") == 18:
            child = top["component"]
            filled = _filled_input(child, top.get("label"), values, used)
            components.append({"type": 18, "component": filled})
    unknown = set(values) - used
    if unknown:
        raise ValueError(f"the modal has no input(s) {sorted(unknown)}")
    return {"custom_id": modal["custom_id"], "components": components}


def _filled_input(
    component: Json, label: str | None, values: Mapping[str, Any], used: set[str]
) -> Json:
    custom_id = component["custom_id"]
    key = custom_id if custom_id in values else label
    if component.get("type") == CHECKBOX:
        ticked = values.get(key or "", bool(component.get("default", False)))
        if not isinstance(ticked, bool):
            raise ValueError(f"checkbox {label or custom_id!r} is ticked or not: give a bool")
        used.add(key or "")
        return {"type": CHECKBOX, "custom_id": custom_id, "value": ticked}
    if component.get("type") != 4:
        chosen: Any = values.get(key or "", [])
        used.add(key or "")
        return {
            "type": component["type"],
            "custom_id": custom_id,
            "values": list(chosen) if isinstance(chosen, list | tuple) else [chosen],
        }
    value = values.get(key or "")
    if value is None:
        if component.get("required", True):
            raise ValueError(f"modal input {label or custom_id!r} is required")
        value = ""
    used.add(key or "")
    if len(value) > component.get("max_length", 4000) or (
        value and len(value) < component.get("min_length", 0)
    ):
        raise ValueError(
            f"modal input {label or custom_id!r}: length {len(value)} is outside "
            "the input's min_length/max_length"
        )
    return {"type": 4, "custom_id": custom_id, "value": value}
