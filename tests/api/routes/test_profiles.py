"""Profile pages: totals, progress by difficulty and tag, achievements (locked ones with
progress) and charts; the solved list and history page by page; code shown to its owner only;
private profiles seen by their owner alone; preview tags with absolute addresses."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.routes.profiles import HISTORY_PAGE, SOLVED_PAGE
from core.models import Achievement, Submission, User, utcnow
from core.streaks import STREAK_RULE
from sandbox import Comparison
from tests.support.mailbox import Mailbox
from tests.support.rows import add_solve, add_task, discord_learner, make_public
from tests.support.site_client import follow_next_links, register, visitor


async def test_a_profile_shows_totals_achievements_and_both_charts(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await make_public(db, await discord_learner(db, name="ada_on_discord", solves=3))
    page = await client.get("/u/ADA_on_discord")
    assert page.status_code == 200
    text = page.text
    assert "ada_on_discord" in text
    assert '<span class="value">30</span>' in text
    assert '<span class="value">#1</span>' in text
    assert '<th scope="row">Easy</th>\n  <td class="num">3 of 3</td>' in text
    assert '<th scope="row">strings</th>\n  <td class="num">3 of 3</td>' in text
    assert escape(STREAK_RULE) in text
    assert "First Solve" in text
    assert 'aria-label="Points over time: 30 points' in text
    assert 'aria-label="Daily activity: 3 submissions in the last year"' in text
    assert "Your recent submissions" not in text
    assert "Only you can see" not in text
    assert "Discord: ada_on_discord" not in text  # the Discord name is shown to its owner only


async def test_recent_code_is_shown_to_its_owner_only(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    async with db() as session:
        task = await add_task(session, "echo-twice")
        user = await session.scalar(select(User).where(User.display_name == "Ada"))
        assert user is not None
        user.profile_public = True
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
    for address in ("/u/Ada", "/u/Ada/history"):
        own = await client.get(address)
        assert "Only you can see your code" in own.text
        assert "print(&#39;&lt;secret sauce&gt;&#39;)" in own.text
        other = await visitor(client).get(address)
        assert other.status_code == 200
        assert "Echo twice" in other.text
        assert "wrong answer" in other.text
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
        user.profile_public = True
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
    assert "Line 40" not in (await visitor(client).get("/u/Ada")).text


async def test_an_unknown_profile_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/u/nobody")
    assert answer.status_code == 404
    assert "There is no learner with that name." in answer.text


async def test_a_name_too_long_for_anyone_is_a_friendly_422(client: httpx.AsyncClient) -> None:
    for page in ("", "/solved", "/history", "/card.png"):
        refused = await client.get("/u/" + "a" * 65 + page)
        assert refused.status_code == 422
        assert (
            "Path parameter &#39;name&#39; must be 1 to 64 characters, without control"
            in refused.text
        )
        assert (await client.get("/u/" + "a" * 64 + page)).status_code == 404


async def test_a_private_profile_is_a_404_for_everyone_but_its_owner(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    """A learner known only from Discord, and a new account until it opts in, have no public
    page: the same 404 as for nobody, on every page of the profile and its card."""
    await discord_learner(db, name="ada_on_discord", solves=1)
    await register(client, mailbox, "grace@example.com", "Grace")
    for address in ("/u/ada_on_discord", "/u/Grace"):
        for page in ("", "/solved", "/history", "/card.png"):
            hidden = await visitor(client).get(address + page)
            assert hidden.status_code == 404
            assert "There is no learner with that name." in hidden.text
    own = await client.get("/u/grace")
    assert own.status_code == 200
    assert "Only you can see this page: your profile is private." in own.text
    assert 'href="/account#public-profile"' in own.text
    assert 'property="og:' not in own.text  # nothing to preview: the card is not public
    assert "Only you can see this page" in (await client.get("/u/Grace/history")).text
    assert (await client.get("/u/Grace/card.png")).status_code == 404


async def test_locked_achievements_show_their_progress(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    learner = await discord_learner(db, name="ada", solves=1)
    await make_public(db, learner)
    async with db() as session:
        session.add(
            Achievement(
                slug="ten-solves",
                name="Ten Down",
                description="Solve ten tasks.",
                emoji="🔟",
                condition={"solved": 10},
                role=None,
                content_hash="seed",
            )
        )
        await session.commit()
    text = (await client.get("/u/ada")).text
    assert "Still locked" in text
    assert 'Ten Down</strong> <span class="muted small">(locked)</span>' in text
    assert "1 of 10 tasks solved" in text


async def test_the_solved_list_and_history_are_reached_page_by_page(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    """A visitor follows "All solved tasks", "Full history" and every "Next" link."""
    learner = await discord_learner(db, name="ada", solves=0)
    await make_public(db, learner)
    count = SOLVED_PAGE + HISTORY_PAGE + 3
    async with db() as session:
        ada = await session.get(User, learner)
        assert ada is not None
        for i in range(count):
            task = await add_task(session, f"task-{i:02}", title=f"Task {i:02}")
            await add_solve(session, ada, task, utcnow() - timedelta(minutes=count - i), 10)
        await session.commit()
    profile = (await client.get("/u/ada")).text
    assert f'<a href="/u/ada/solved">All {count} solved tasks →</a>' in profile
    assert '<a href="/u/ada/history">Full history →</a>' in profile
    solved = await follow_next_links(client, "/u/ada/solved")
    history = await follow_next_links(client, "/u/ada/history")
    assert len(solved) == 2
    assert len(history) == 3
    for pages in (solved, history):
        shown = [title for page in pages for title in re.findall(r"Task \d\d", page)]
        assert shown == [f"Task {i:02}" for i in reversed(range(count))]
    assert '<a class="button secondary" href="/u/ada/history?page=2">← Previous</a>' in history[2]
    assert "page of the history is empty" in (await client.get("/u/ada/history?page=9")).text


async def test_preview_tags_give_absolute_addresses_and_a_large_card(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await make_public(db, await discord_learner(db, name="Ada L", solves=2))
    profile = (await client.get("/u/ada%20l")).text
    assert '<meta property="og:title" content="Ada L on codestreak">' in profile
    assert '<meta property="og:url" content="http://testserver/u/Ada%20L">' in profile
    assert '<meta property="og:image" content="http://testserver/u/Ada%20L/card.png">' in profile
    assert '<meta name="twitter:card" content="summary_large_image">' in profile
    assert "20 points · 2 tasks solved · current streak: 0 days" in profile
    task = (await client.get("/tasks/seed-task-0")).text
    assert '<meta property="og:url" content="http://testserver/tasks/seed-task-0">' in task
    assert (
        '<meta property="og:image" content="http://testserver/tasks/seed-task-0/card.png">' in task
    )
    assert "Easy · 10 points · solved by 1 learner · strings" in task
    assert '<meta name="twitter:card" content="summary_large_image">' in task
