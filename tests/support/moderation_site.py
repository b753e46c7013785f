"""Curators, server moderators and designer forms for the site's moderation tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts.passwords import hash_password
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.models import ModeratorRight, User
from tests.support.content_factories import task_document
from tests.support.site_client import PASSWORD, csrf_token, log_in


async def add_account(
    sessions: async_sessionmaker[AsyncSession], email: str, name: str, moderator: bool
) -> int:
    """A site account with the test password, an appointed curator when `moderator`; its id."""
    async with sessions() as session:
        user = User(
            display_name=name,
            email=email,
            password_hash=await hash_password(PASSWORD),
            is_curator=moderator,
        )
        session.add(user)
        await session.commit()
        return user.id


async def logged_in(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    moderator: bool = True,
    email: str = "mod@example.com",
    name: str = "Grace",
) -> int:
    """Create an account (a curator when `moderator`) and log the client in; its id."""
    user_id = await add_account(sessions, email, name, moderator)
    answer = await log_in(client, email)
    assert answer.status_code == 303, answer.text
    return user_id


async def see_moderating(
    sessions: async_sessionmaker[AsyncSession], user_id: int, guild_id: int, seen_at: datetime
) -> None:
    """Record that the account's linked Discord user was last seen moderating `guild_id` at
    `seen_at`, as `/mod` records it."""
    async with sessions() as session:
        seen = await session.execute(
            update(ModeratorRight)
            .where(ModeratorRight.user_id == user_id, ModeratorRight.guild_id == guild_id)
            .values(last_seen_at=seen_at)
        )
        if not seen.rowcount:  # type: ignore[attr-defined]
            session.add(ModeratorRight(user_id=user_id, guild_id=guild_id, last_seen_at=seen_at))
        await session.commit()


async def add_owned_task(
    sessions: async_sessionmaker[AsyncSession], owner: int, slug: str, **changes: Any
) -> None:
    """A validated task of `owner` (published unless `published=False` is given)."""
    async with sessions() as session:
        document = TaskFile.model_validate(task_document(slug, **changes))
        await upsert_tasks(session, [document], validated=True, owner=owner)
        await session.commit()


def designer_fields(document: dict[str, Any]) -> dict[str, str]:
    """The designer form's fields for a task document, as a browser would post them."""
    limits = document.get("limits", {})
    compare = document.get("compare", {})
    fields = {
        "slug": document["slug"],
        "title": document["title"],
        "difficulty": document["difficulty"],
        "points": str(document.get("points") or ""),
        "tags": ", ".join(document.get("tags", [])),
        "statement": document["statement"].replace("\n", "\r\n"),
        "template": document.get("template", ""),
        "solution": document["solution"],
        "limits.time_s": str(limits.get("time_s", 2.0)),
        "limits.memory_mb": str(limits.get("memory_mb", 64)),
        "compare.mode": compare.get("mode", "exact"),
        "compare.tolerance": str(compare.get("tolerance") or ""),
    }
    for i, wrong in enumerate(document["wrong_solutions"]):
        fields[f"wrong_solutions[{i}].code"] = wrong["code"]
        fields[f"wrong_solutions[{i}].why"] = wrong["why"]
    for i, test in enumerate(document["tests"]):
        fields[f"tests[{i}].input"] = test["input"]
        fields[f"tests[{i}].output"] = test["output"]
        if test.get("hidden"):
            fields[f"tests[{i}].hidden"] = "1"
    for i, hint in enumerate(document.get("hints", [])):
        fields[f"hints[{i}]"] = hint
    return fields


async def post_designer(
    client: httpx.AsyncClient, page: str, fields: dict[str, str], action: str
) -> httpx.Response:
    """Open a designer page and press `action` with `fields` in the form."""
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text
    return await client.post(
        page, data={**fields, "action": action, "csrf_token": csrf_token(opened.text)}
    )
