"""A server's pages: its leaderboards for everyone, its tasks for its members only."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.accounts.passwords import hash_password
from core.content.loader import upsert_tasks
from core.content.schema import TaskFile
from core.learners import remember_member
from core.models import GLOBAL_CATALOGUE, GuildMember, GuildSettings, User
from tests.support.clocks import Clock
from tests.support.content_factories import task_document
from tests.support.learners import solve
from tests.support.site_client import PASSWORD, log_in, visitor

ALPHA = 111_000_000_000_000_001
BETA = 222_000_000_000_000_002
NOT_YOURS = "There is no server page at this address for you."
ROW = re.compile(r'<a href="/u/[^"]*">([^<]*)</a>(?: \(you\))?</td>\s*<td class="num">(\d+)</td>')


def board(html: str) -> dict[str, int]:
    """The learners on a leaderboard page and their values."""
    return {unescape(name): int(value) for name, value in ROW.findall(html)}


async def add_tasks(session: AsyncSession, owner: int, *documents: dict[str, object]) -> None:
    """Tasks of one owner, loaded the way content files are."""
    files = [TaskFile.model_validate(document) for document in documents]
    await upsert_tasks(session, files, owner=owner)
    await session.flush()


async def add_learner(
    sessions: async_sessionmaker[AsyncSession],
    name: str,
    discord_id: int | None,
    servers: tuple[int, ...],
) -> int:
    """A site account (`<name>@example.com`, the test password), linked to a Discord account
    seen in `servers`; its id."""
    async with sessions() as session:
        user = User(
            display_name=name,
            email=f"{name}@example.com",
            password_hash=await hash_password(PASSWORD),
            discord_id=discord_id,
            profile_public=True,
        )
        session.add(user)
        await session.flush()
        for guild_id in servers:
            await remember_member(session, guild_id, user.id)
        await session.commit()
        return user.id


@pytest.fixture
async def servers(db: async_sessionmaker[AsyncSession]) -> None:
    """Servers Alpha and Beta, each with a task of its own (Alpha also a draft), and the
    shared catalogue's task."""
    async with db() as session:
        session.add_all(
            [GuildSettings(guild_id=ALPHA, name="Alpha Club"), GuildSettings(guild_id=BETA)]
        )
        await add_tasks(
            session,
            GLOBAL_CATALOGUE,
            task_document("sum-digits", title="Sum of digits", tags=["math"]),
        )
        await add_tasks(
            session,
            ALPHA,
            task_document("alpha-only", title="Alpha only", difficulty="medium", tags=["club"]),
        )
        await add_tasks(
            session, ALPHA, task_document("alpha-draft", title="Alpha draft", published=False)
        )
        await add_tasks(session, BETA, task_document("beta-only", title="Beta only"))
        await session.commit()


async def as_member(
    client: httpx.AsyncClient,
    sessions: async_sessionmaker[AsyncSession],
    name: str,
    discord_id: int | None,
    *servers: int,
) -> httpx.AsyncClient:
    """Another browser, logged in as a new learner of `servers`."""
    await add_learner(sessions, name, discord_id, servers)
    browser = visitor(client)
    assert (await log_in(browser, f"{name}@example.com")).status_code == 303
    return browser


@pytest.mark.usefixtures("servers")
async def test_a_servers_tasks_are_shown_to_its_members_only(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    ada = await as_member(client, db, "ada", 1, ALPHA, BETA)
    bob = await as_member(client, db, "bob", 2, BETA)
    unlinked = await as_member(client, db, "cy", None, ALPHA)

    alpha = await ada.get(f"/s/{ALPHA}/tasks")
    assert alpha.status_code == 200
    assert "Tasks of Alpha Club" in alpha.text
    assert f'href="/s/{ALPHA}/tasks/alpha-only">Alpha only</a> <span class="tag">this server' in (
        alpha.text
    )
    assert f'href="/s/{ALPHA}/tasks/sum-digits">Sum of digits</a>' in alpha.text
    assert "Beta only" not in alpha.text
    assert "Alpha draft" not in alpha.text
    assert f'href="/s/{ALPHA}/tasks?tag=club"' in alpha.text
    club = await ada.get(f"/s/{ALPHA}/tasks?tag=club")
    assert "Alpha only" in club.text
    assert "Sum of digits" not in club.text
    searched = await ada.get(f"/s/{ALPHA}/tasks?q=digits")
    assert "Sum of digits" in searched.text
    assert "Alpha only" not in searched.text
    page = await ada.get(f"/s/{ALPHA}/tasks/alpha-only")
    assert page.status_code == 200
    assert "in Alpha Club, the only server where this task is solved" in page.text
    assert f'<a href="/s/{ALPHA}/tasks">← Tasks of Alpha Club</a>' in page.text
    assert (await ada.get(f"/s/{ALPHA}/tasks/alpha-draft")).status_code == 404
    beta = await ada.get(f"/s/{BETA}/tasks")
    assert f"Tasks of Server {BETA}" in beta.text
    assert "Beta only" in beta.text
    assert "Alpha only" not in beta.text

    # another server's learner, a learner without a linked Discord account, a visitor and an
    # unknown server all get the same 404, which names no task
    outsiders = [
        (bob, f"/s/{ALPHA}/tasks"),
        (bob, f"/s/{ALPHA}/tasks/alpha-only"),
        (bob, f"/s/{ALPHA}/tasks/sum-digits"),
        (unlinked, f"/s/{ALPHA}/tasks"),
        (client, f"/s/{ALPHA}/tasks"),
        (client, f"/s/{ALPHA}/tasks/alpha-only"),
        (ada, "/s/999/tasks"),
        (ada, "/s/0/tasks"),
    ]
    for browser, address in outsiders:
        refused = await browser.get(address)
        assert refused.status_code == 404, address
        assert NOT_YOURS in refused.text
        assert "Alpha only" not in refused.text
        assert "Alpha Club" not in refused.text
    assert (await bob.get(f"/s/{BETA}/tasks/beta-only")).status_code == 200
    assert (await bob.get(f"/s/{BETA}/tasks/alpha-only")).status_code == 404

    # the shared catalogue's pages show no server's tasks
    shared = await ada.get("/tasks")
    assert "Sum of digits" in shared.text
    assert "Alpha only" not in shared.text
    assert "Beta only" not in shared.text
    assert 'href="/tasks/sum-digits"' in shared.text
    assert (await ada.get("/tasks/alpha-only")).status_code == 404
    assert (await client.get("/tasks/beta-only")).status_code == 404


async def test_task_list_pages_follow(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    async with db() as session:
        session.add(GuildSettings(guild_id=ALPHA, name="Alpha Club"))
        documents = [task_document(f"task-{i:02}", title=f"Task {i:02}") for i in range(26)]
        await add_tasks(session, GLOBAL_CATALOGUE, *documents[:20])
        await add_tasks(session, ALPHA, *documents[20:])
        await session.commit()
    ada = await as_member(client, db, "ada", 1, ALPHA)
    for base, browser in ((f"/s/{ALPHA}/tasks", ada), ("/tasks", client)):
        first = await browser.get(f"{base}?q=task")
        total = 26 if base != "/tasks" else 20
        assert f"{total} tasks" in first.text
        links = re.findall(r'href="([^"]*)">Next', first.text)
        if total <= 25:
            assert links == []
            continue
        assert "Task 00" in first.text
        assert "Task 25" not in first.text
        second = await browser.get(unescape(links[0]))
        assert "Task 25" in second.text
        assert "Task 00" not in second.text
        assert "Next" not in second.text
        back = re.findall(r'href="([^"]*)">← Previous', second.text)
        assert (await browser.get(unescape(back[0]))).text.count("Task 00") == 1


@pytest.mark.usefixtures("servers")
async def test_a_server_task_counts_on_that_servers_board_only(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    ada = await add_learner(db, "ada", 1, (ALPHA, BETA))
    await add_learner(db, "bob", 2, (BETA,))
    clock = Clock()
    await solve(db, clock, ada, "sum-digits", ALPHA)  # 10 points everywhere
    await solve(db, clock, ada, "alpha-only", ALPHA)  # 20 points, on Alpha's board only

    alpha = await client.get(f"/s/{ALPHA}/leaderboard")
    assert alpha.status_code == 200
    assert "Alpha Club leaderboard" in alpha.text
    assert board(alpha.text) == {"ada": 30}
    assert board((await client.get(f"/s/{BETA}/leaderboard")).text) == {"ada": 10}
    assert board((await client.get("/leaderboard")).text) == {"ada": 10}
    beta = await client.get(f"/s/{BETA}/leaderboard?period=streak")
    assert f"Server {BETA} leaderboard" in beta.text
    assert f'href="/s/{BETA}/leaderboard?period=week"' in beta.text
    assert f'href="/s/{BETA}/tasks"' not in beta.text  # the visitor is not a member

    assert (await client.get("/s/999/leaderboard")).status_code == 404
    assert (await client.get("/s/0/leaderboard")).status_code == 404
    assert (await client.get(f"/s/{2**64}/leaderboard")).status_code == 422


@pytest.mark.usefixtures("servers")
async def test_the_global_board_links_to_the_learners_servers(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    assert "Your servers" not in (await client.get("/leaderboard")).text
    ada = await as_member(client, db, "ada", 1, ALPHA, BETA)
    bob = await as_member(client, db, "bob", 2, BETA)
    cy = await as_member(client, db, "cy", None, ALPHA)

    mine = (await ada.get("/leaderboard")).text
    assert f'<a href="/s/{ALPHA}/leaderboard">Alpha Club</a>' in mine
    assert f'<a href="/s/{BETA}/leaderboard">Server {BETA}</a>' in mine
    bobs = (await bob.get("/leaderboard")).text
    assert f'href="/s/{BETA}/leaderboard"' in bobs
    assert f'href="/s/{ALPHA}/leaderboard"' not in bobs
    assert "Your servers" not in (await cy.get("/leaderboard")).text
    alpha = (await ada.get(f"/s/{ALPHA}/leaderboard")).text
    assert f'href="/s/{ALPHA}/tasks"' in alpha  # a member is shown the server's tasks
    assert 'href="/leaderboard"' in alpha


async def test_board_pages_follow(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    """52 learners fill a page of 50 and one of 2, on the global board and a server's."""
    async with db() as session:
        session.add(GuildSettings(guild_id=ALPHA, name="Alpha Club"))
        for i in range(52):
            user = User(
                display_name=f"learner-{i:02}",
                discord_id=1000 + i,
                points=100 - i,
                profile_public=True,
            )
            session.add(user)
            await session.flush()
            session.add(GuildMember(guild_id=ALPHA, user_id=user.id, points=200 - i))
        await session.commit()
    for base in ("/leaderboard", f"/s/{ALPHA}/leaderboard"):
        first = await client.get(base)
        assert len(board(first.text)) == 50
        assert "Previous" not in first.text
        following = re.findall(r'href="([^"]*)">Next', first.text)
        assert following == [f"{base}?period=all&amp;page=2"]
        second = await client.get(unescape(following[0]))
        assert list(board(second.text)) == ["learner-50", "learner-51"]
        assert "Next" not in second.text
        back = re.findall(r'href="([^"]*)">← Previous', second.text)
        assert back == [f"{base}?period=all"]
        assert board((await client.get(unescape(back[0]))).text) == board(first.text)
        assert "page of the leaderboard is empty" in (await client.get(f"{base}?page=9")).text


async def test_a_server_id_beyond_64_bits_is_a_friendly_422(client: httpx.AsyncClient) -> None:
    for address in ("/s/21602012830873530368/leaderboard", "/s/-1/tasks", "/s/1/tasks/UPPER"):
        refused = await client.get(address)
        assert refused.status_code == 422, address
        assert "Path parameter" in refused.text
        assert "Traceback" not in refused.text
