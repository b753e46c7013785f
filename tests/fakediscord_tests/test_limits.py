"""Discord's limits on messages, components, modals, autocomplete and commands, one by one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fakediscord.command_rules import command_list_problems
from tests.fakediscord.errors import EMPTY_MESSAGE, DiscordHTTPError
from tests.fakediscord.message_rules import message_problems, validate_message_body
from tests.fakediscord.modal_rules import autocomplete_problems, modal_problems
from tests.fakediscord.models import FakeGuild, FakeMember, FakeRole, FakeUser
from tests.fakediscord.permissions import EVERYONE_DEFAULT, MANAGE_ROLES, role_management_refusal


def _paths(problems: list[Any]) -> list[str]:
    return [".".join(str(p) for p in problem.path) for problem in problems]


def _button(custom_id: str) -> dict[str, Any]:
    return {"type": 2, "style": 1, "label": "Go", "custom_id": custom_id}


def _row(*components: dict[str, Any]) -> dict[str, Any]:
    return {"type": 1, "components": list(components)}


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"content": "x" * 2001}, "content"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
        ({"embeds": [{"fields": [{"name": "n" * 257, "value": "v"}]}]}, "embeds.0.fields.0.name"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embeds.0.footer.text"),
        ({"embeds": [{"author": {"name": "a" * 257}}]}, "embeds.0.author.name"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
        ({"components": [_row(*(_button(f"b{i}") for i in range(6)))]}, "components.0.components"),
        ({"components": [_row(_button(f"b{i}")) for i in range(6)]}, "components"),
        ({"components": [_row(_button("x" * 101))]}, "components.0.components.0.custom_id"),
        ({"components": [_row(_button("same"), _button("same"))]}, "components"),
        (
            {
                "components": [
                    _row(
                        {
                            "type": 3,
                            "custom_id": "s",
                            "options": [{"label": str(i), "value": str(i)} for i in range(26)],
                        }
                    )
                ]
            },
            "components.0.components.0.options",
        ),
    ],
)
def test_message_limits(body: dict[str, Any], path: str) -> None:
    assert path in _paths(message_problems(body))


def test_message_within_limits_passes() -> None:
    body = {
        "content": "x" * 2000,
        "embeds": [{"title": "t" * 256, "description": "d" * 4096}],
        "components": [_row(*(_button(f"b{i}") for i in range(5)))],
    }
    assert message_problems(body) == []


def test_empty_message_is_refused_but_empty_edit_is_not() -> None:
    with pytest.raises(DiscordHTTPError) as raised:
        validate_message_body({"content": ""}, creating=True, has_files=False)
    assert raised.value.code == EMPTY_MESSAGE
    validate_message_body({"content": ""}, creating=False, has_files=False)
    validate_message_body({}, creating=True, has_files=True)


def _modal(**changes: Any) -> dict[str, Any]:
    text_input = {
        "type": 4,
        "custom_id": "code",
        "label": "Code",
        "style": 2,
        **changes.pop("text_input", {}),
    }
    return {"title": "Submit", "custom_id": "submit", "components": [_row(text_input)], **changes}


@pytest.mark.parametrize(
    ("modal", "path"),
    [
        (_modal(title="t" * 46), "data.title"),
        (_modal(custom_id="c" * 101), "data.custom_id"),
        (_modal(components=[]), "data.components"),
        (
            _modal(
                components=[
                    _row({"type": 4, "custom_id": str(i), "label": "L", "style": 1})
                    for i in range(6)
                ]
            ),
            "data.components",
        ),
        (_modal(text_input={"label": "l" * 46}), "data.components.0.components.0.label"),
        (_modal(text_input={"style": 3}), "data.components.0.components.0.style"),
        (_modal(text_input={"max_length": 4001}), "data.components.0.components.0.max_length"),
        (
            _modal(text_input={"placeholder": "p" * 101}),
            "data.components.0.components.0.placeholder",
        ),
        (
            _modal(text_input={"value": "v" * 11, "max_length": 10}),
            "data.components.0.components.0.value",
        ),
        (_modal(components=[_row(_button("b"))]), "data.components.0.components"),
    ],
)
def test_modal_limits(modal: dict[str, Any], path: str) -> None:
    assert path in _paths(modal_problems(modal))


def test_valid_modal_passes() -> None:
    assert modal_problems(_modal()) == []


def test_autocomplete_limits() -> None:
    choices = [{"name": str(i), "value": str(i)} for i in range(26)]
    assert _paths(autocomplete_problems({"choices": choices})) == ["data.choices"]
    assert _paths(autocomplete_problems({"choices": [{"name": "n", "value": "v" * 101}]})) == [
        "data.choices.0.value"
    ]


def _command(**changes: Any) -> dict[str, Any]:
    return {"name": "submit", "description": "Submit code.", "type": 1, **changes}


def _option(name: str, **changes: Any) -> dict[str, Any]:
    return {"type": 3, "name": name, "description": "An option.", **changes}


@pytest.mark.parametrize(
    ("command", "path"),
    [
        (_command(name="Submit"), "0.name"),
        (_command(name="s" * 33), "0.name"),
        (_command(name="two words"), "0.name"),
        (_command(description=""), "0.description"),
        (_command(description="d" * 101), "0.description"),
        (_command(options=[_option(f"o{i}") for i in range(26)]), "0.options"),
        (
            _command(
                options=[
                    _option("o", choices=[{"name": str(i), "value": str(i)} for i in range(26)])
                ]
            ),
            "0.options.0.choices",
        ),
        (_command(options=[_option("a"), _option("b", required=True)]), "0.options.1"),
        (
            _command(options=[_option("a"), {"type": 1, "name": "sub", "description": "S."}]),
            "0.options",
        ),
        (
            _command(
                options=[{"type": 2, "name": "g", "description": "G.", "options": [_option("x")]}]
            ),
            "0.options.0.options",
        ),
        ({"type": 3, "name": "Submit code", "description": "no"}, "0.description"),
    ],
)
def test_command_limits(command: dict[str, Any], path: str) -> None:
    assert path in _paths(command_list_problems([command]))


def test_valid_commands_pass() -> None:
    group = {
        "type": 2,
        "name": "task",
        "description": "Tasks.",
        "options": [
            {
                "type": 1,
                "name": "add",
                "description": "Add.",
                "options": [_option("slug", required=True), _option("note")],
            }
        ],
    }
    commands = [_command(options=[group]), {"type": 3, "name": "Submit code", "description": ""}]
    assert command_list_problems(commands) == []


def test_duplicate_command_names_are_refused() -> None:
    assert _paths(command_list_problems([_command(), _command()])) == ["1.name"]


def test_role_management_needs_manage_roles_and_a_higher_role() -> None:
    bot = FakeUser(2, "bot", bot=True)
    guild = FakeGuild(10, "g", owner_id=1)
    guild.roles = {
        10: FakeRole(10, "@everyone", 0, EVERYONE_DEFAULT),
        20: FakeRole(20, "bot", 2, MANAGE_ROLES),
        30: FakeRole(30, "low", 1, 0),
        40: FakeRole(40, "high", 3, 0),
    }
    member = FakeMember(bot, guild.id, [20])
    assert role_management_refusal(guild, member, guild.roles[30]) is None
    assert "not below" in str(role_management_refusal(guild, member, guild.roles[40]))
    guild.roles[20].permissions = 0
    assert "MANAGE_ROLES" in str(role_management_refusal(guild, member, guild.roles[30]))
