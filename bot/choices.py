"""Autocomplete choices shared by several commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from discord import app_commands

from bot.render.text import clip
from bot.services import Services
from core.catalog import Audience, autocomplete

CHOICE_LIMIT = 25


class Labelled(Protocol):
    """An enum member with a readable label (core's Difficulty, Period)."""

    @property
    def value(self) -> str:
        """What the command receives."""
        ...

    @property
    def label(self) -> str:
        """What the user sees."""
        ...


def labelled_choices(members: Iterable[Labelled]) -> list[app_commands.Choice[str]]:
    """Fixed choices that show each member's label and send its value."""
    return [app_commands.Choice(name=member.label, value=member.value) for member in members]


def _choice(slug: str, title: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=clip(f"{title} ({slug})", 100), value=slug)


async def published_task_choices(
    services: Services, current: str, audience: Audience
) -> list[app_commands.Choice[str]]:
    """Published tasks of `audience` whose title or slug contains what the user typed."""
    async with services.sessions() as session:
        found = await autocomplete(session, current, CHOICE_LIMIT, audience=audience)
    return [_choice(slug, title) for slug, title in found]
