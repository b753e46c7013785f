"""Autocomplete choices shared by several commands."""

from __future__ import annotations

from discord import app_commands

from bot.render.text import clip
from bot.services import Services
from core.catalog import autocomplete, list_tasks

CHOICE_LIMIT = 25


def _choice(slug: str, title: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=clip(f"{title} ({slug})", 100), value=slug)


async def published_task_choices(
    services: Services, current: str
) -> list[app_commands.Choice[str]]:
    """Published tasks whose title or slug contains what the user typed."""
    async with services.sessions() as session:
        found = await autocomplete(session, current, CHOICE_LIMIT)
    return [_choice(slug, title) for slug, title in found]


async def any_task_choices(services: Services, current: str) -> list[app_commands.Choice[str]]:
    """Every task, published or not, whose title or slug contains what the user typed."""
    async with services.sessions() as session:
        found, _ = await list_tasks(
            session, text=current, include_unpublished=True, limit=CHOICE_LIMIT
        )
    return [_choice(t.slug, t.title) for t in found]
