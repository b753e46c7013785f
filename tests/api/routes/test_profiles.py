"""Profile pages: totals, achievements and charts, and recent code shown to its owner only."""

from __future__ import annotations

import httpx
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import Submission, User
from core.streaks import STREAK_RULE
from sandbox import Comparison
from tests.support.mailbox import Mailbox
from tests.support.rows import add_task, discord_learner
from tests.support.site_client import register


async def test_a_profile_shows_totals_achievements_and_both_charts(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await discord_learner(db, name="ada_on_discord", solves=3)
    page = await client.get("/u/ADA_on_discord")
    assert page.status_code == 200
    text = page.text
    assert "ada_on_discord" in text
    assert '<span class="value">30</span>' in text
    assert '<span class="value">#1</span>' in text
    assert "easy: 3" in text
    assert escape(STREAK_RULE) in text
    assert "First Solve" in text
    assert 'aria-label="Points over time: 30 points' in text
    assert 'aria-label="Daily activity: 3 submissions in the last year"' in text
    assert "Your recent submissions" not in text


async def test_recent_code_is_shown_to_its_owner_only(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    async with db() as session:
        task = await add_task(session, "echo-twice")
        user = await session.scalar(select(User).where(User.display_name == "Ada"))
        assert user is not None
        session.add(
            Submission(
                user_id=user.id,
                task_id=task.id,
                source="web",
                code="print('<secret sauce>')\n",
                verdict="wrong_answer",
            )
        )
        await session.commit()
    own = await client.get("/u/Ada")
    assert "Your recent submissions" in own.text
    assert "print(&#39;&lt;secret sauce&gt;&#39;)" in own.text
    stranger = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    other = await stranger.get("/u/Ada")
    assert other.status_code == 200
    assert "secret sauce" not in other.text


async def test_the_owner_sees_where_a_wrong_answer_differed(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    expected = "".join(f"<row {n}>\n" for n in range(1, 51))
    difference = Comparison().difference(expected.replace("<row 40>", "<row  40>"), expected)
    assert difference is not None
    async with db() as session:
        task = await add_task(session, "echo-twice")
        user = await session.scalar(select(User).where(User.display_name == "Ada"))
        assert user is not None
        visible = {"index": 0, "passed": False, "hidden": False, "verdict": "wrong_answer"}
        session.add(
            Submission(
                user_id=user.id,
                task_id=task.id,
                source="discord",
                code="print('rows')\n",
                verdict="wrong_answer",
                results=[
                    {"index": 1, "passed": False, "hidden": True, "verdict": "wrong_answer"},
                    {**visible, "difference": difference.model_dump(mode="json")},
                ],
            )
        )
        await session.commit()
    own = (await client.get("/u/Ada")).text
    assert "Line 40 is the first that differs.\nOnly whitespace differs" in own
    assert "» 40 │ &lt;row·40&gt;⏎\n  41 │ &lt;row·41&gt;⏎" in own
    assert "» 40 │ &lt;row··40&gt;⏎" in own
    stranger = httpx.AsyncClient(transport=client._transport, base_url="http://testserver")
    assert "Line 40" not in (await stranger.get("/u/Ada")).text


async def test_an_unknown_profile_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/u/nobody")
    assert answer.status_code == 404
    assert "There is no learner with that name." in answer.text


async def test_a_name_too_long_for_anyone_is_a_friendly_422(client: httpx.AsyncClient) -> None:
    refused = await client.get("/u/" + "a" * 65)
    assert refused.status_code == 422
    assert "Path parameter &#39;name&#39; must be 1 to 64 characters." in refused.text
    assert (await client.get("/u/" + "a" * 64)).status_code == 404
