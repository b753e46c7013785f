"""The Solutions section and pages of a task: locked before solving, then the reference and
learners' shared solutions with votes (forms with CSRF, without JavaScript), Stop sharing for
one's own, Hide and Unhide for moderators; a server's tasks only for its members."""

from __future__ import annotations

import re
from html import unescape

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.learners import remember_member
from core.models import GuildSettings, SolutionVote, User
from core.solutions import PAGE_SIZE
from core.verdicts import SubmissionVerdict
from tests.support.catalogue import add_task
from tests.support.moderation_site import add_account, logged_in
from tests.support.site_client import PASSWORD, csrf_token, follow_next_links, log_in, visitor
from tests.support.solutions import add_person, add_solution

Sessions = async_sessionmaker[AsyncSession]

REFERENCE = "line = input()\nprint(line)\nprint(line)\n"
LOCKED = "unlock once you solve this task"
SERVER = 333_000_000_000_000_003
SOLUTION = re.compile(r'<article class="solution" id="solution-(\d+)"')


def shown(html: str) -> list[int]:
    """The ids of the solutions a page shows, in order."""
    return [int(found) for found in SOLUTION.findall(html)]


def vote_button(html: str, submission_id: int, label: str) -> str:
    """The vote button of `label` on a solution, as rendered."""
    article = html.split(f'id="solution-{submission_id}"', 1)[1].split("</article>", 1)[0]
    found = re.search(
        rf'<button type="submit" class="vote[^"]*"[^>]*>[^<]*{label}.*?</button>', article
    )
    assert found, f"no {label} button on solution {submission_id}"
    return found.group(0)


async def _world(db: Sessions) -> dict[str, int]:
    """The shared task echo-twice with two shared solutions (ada's public profile, bob's not) and
    a private one; the logged-in learner's account ("me") has not solved it yet."""
    task = await add_task(db, "echo-twice")
    ada = await add_person(db, "ada")
    bob = await add_person(db, "bob", public=False)
    cy = await add_person(db, "cy")
    return {
        "task": task,
        "bob_user": bob,
        "ada": await add_solution(db, ada, task, "print('ada')\n", minutes_ago=30),
        "bob": await add_solution(db, bob, task, "print('bob')\n", minutes_ago=20),
        "cy": await add_solution(db, cy, task, "print('cy private')\n", shared=False),
    }


async def _me(client: httpx.AsyncClient, db: Sessions, name: str = "me") -> int:
    """A logged-in learner without solves; their id."""
    return await logged_in(client, db, moderator=False, email=f"{name}@example.com", name=name)


async def _post(
    client: httpx.AsyncClient, page: str, action: str, fields: dict[str, str]
) -> httpx.Response:
    """Open `page`, then post `fields` and its CSRF token to `action`, as its form does."""
    opened = await client.get(page)
    assert opened.status_code == 200, opened.text
    return await client.post(action, data={**fields, "csrf_token": csrf_token(opened.text)})


async def test_nothing_before_solving(client: httpx.AsyncClient, db: Sessions) -> None:
    world = await _world(db)
    anonymous = await client.get("/tasks/echo-twice")
    assert anonymous.status_code == 200
    me = await _me(client, db)
    await add_solution(db, me, world["task"], "print(0)\n", verdict=SubmissionVerdict.WRONG_ANSWER)
    for answer in (anonymous, await client.get("/tasks/echo-twice")):
        assert LOCKED in answer.text
        assert "print(&#39;ada&#39;)" not in answer.text
        assert "print(line)" not in answer.text  # nor the reference solution
        assert shown(answer.text) == []
    assert "log in</a> to solve it" in anonymous.text

    page = await client.get("/tasks/echo-twice/solutions")
    assert page.status_code == 403
    assert LOCKED in page.text
    async with visitor(client) as stranger:
        answer = await stranger.get("/tasks/echo-twice/solutions")
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/login?next=")


async def test_after_solving_the_reference_and_shared_solutions(
    client: httpx.AsyncClient, db: Sessions
) -> None:
    world = await _world(db)
    me = await _me(client, db)
    mine = await add_solution(db, me, world["task"], "print('mine')\n", minutes_ago=10)
    answer = await client.get("/tasks/echo-twice")
    assert LOCKED not in answer.text
    assert unescape(REFERENCE) in unescape(answer.text)
    assert shown(answer.text) == [world["ada"], world["bob"], mine]
    assert "cy private" not in answer.text
    # ada shows a public profile; bob does not, so a pseudonym stands for him and links nowhere
    assert '<a href="/u/ada">ada</a>' in answer.text
    assert f"<strong>Learner {world['bob_user']}</strong>" in answer.text
    assert ">bob<" not in answer.text
    # one's own solution: no votes, but a way to stop sharing it
    article = answer.text.split(f'id="solution-{mine}"', 1)[1].split("</article>", 1)[0]
    assert "Your solution" in article
    assert "/vote" not in article
    assert "Stop sharing" in article


async def test_voting_with_the_forms(client: httpx.AsyncClient, db: Sessions) -> None:
    world = await _world(db)
    me = await _me(client, db)
    await add_solution(db, me, world["task"], "print('mine')\n", minutes_ago=1)
    bob = world["bob"]
    action = f"/tasks/echo-twice/solutions/{bob}/vote"

    answer = await _post(
        client, "/tasks/echo-twice", action, {"kind": "clever", "back": "/tasks/echo-twice"}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/tasks/echo-twice#solution-{bob}"
    page = (await client.get("/tasks/echo-twice")).text
    assert 'aria-pressed="true"' in vote_button(page, bob, "Clever")
    assert '<span class="count">1</span>' in vote_button(page, bob, "Clever")
    assert 'aria-pressed="false"' in vote_button(page, bob, "Best practice")
    # bob's one vote puts him before ada, who came first
    assert shown(page)[:2] == [bob, world["ada"]]

    again = {"kind": "clever", "voted": "true", "back": "/tasks/echo-twice"}
    assert (await _post(client, "/tasks/echo-twice", action, again)).status_code == 303
    async with db() as session:
        assert len(list(await session.scalars(select(SolutionVote.kind)))) == 1

    withdraw = {"kind": "clever", "voted": "false", "back": "/tasks/echo-twice"}
    assert (await _post(client, "/tasks/echo-twice", action, withdraw)).status_code == 303
    page = (await client.get("/tasks/echo-twice")).text
    assert '<span class="count">0</span>' in vote_button(page, bob, "Clever")


async def test_refused_votes(client: httpx.AsyncClient, db: Sessions) -> None:
    world = await _world(db)
    me = await _me(client, db)
    page = "/tasks/echo-twice"
    vote = f"/tasks/echo-twice/solutions/{world['bob']}/vote"

    not_solved = await _post(client, page, vote, {"kind": "clever"})
    assert not_solved.status_code == 403
    assert "once you solved this task" in not_solved.text

    mine = await add_solution(db, me, world["task"], "print('mine')\n")
    own = await _post(client, page, f"/tasks/echo-twice/solutions/{mine}/vote", {"kind": "clever"})
    assert own.status_code == 403
    assert "your own" in own.text
    for missing in (world["cy"], 999_999):  # never shared; no such submission
        answer = await _post(
            client, page, f"/tasks/echo-twice/solutions/{missing}/vote", {"kind": "clever"}
        )
        assert answer.status_code == 404
        assert "no shared solution of this task" in answer.text
    unknown_kind = await _post(client, page, vote, {"kind": "lovely"})
    assert unknown_kind.status_code == 422
    no_token = await client.post(vote, data={"kind": "clever"})
    assert no_token.status_code == 403
    assert "This form expired" in no_token.text
    # another task's address does not reach this task's solutions
    await add_task(db, "other-task")
    elsewhere = await _post(
        client, page, f"/tasks/other-task/solutions/{world['bob']}/vote", {"kind": "clever"}
    )
    assert elsewhere.status_code == 403  # not solved there either
    async with db() as session:
        assert await session.scalar(select(SolutionVote.user_id)) is None


async def test_a_back_address_off_the_site_is_ignored(
    client: httpx.AsyncClient, db: Sessions
) -> None:
    world = await _world(db)
    me = await _me(client, db)
    await add_solution(db, me, world["task"])
    answer = await _post(
        client,
        "/tasks/echo-twice",
        f"/tasks/echo-twice/solutions/{world['ada']}/vote",
        {"kind": "best_practice", "back": "//evil.example/"},
    )
    assert answer.headers["location"] == f"/tasks/echo-twice#solution-{world['ada']}"


async def test_pages_of_solutions_follow_their_links(
    client: httpx.AsyncClient, db: Sessions
) -> None:
    task = await add_task(db, "echo-twice")
    for index in range(PAGE_SIZE + 5):
        author = await add_person(db, f"learner{index}")
        await add_solution(db, author, task, f"print({index})\n", minutes_ago=500 - index)
    me = await _me(client, db)
    await add_solution(db, me, task, "print('mine')\n", minutes_ago=1)

    pages = await follow_next_links(client, "/tasks/echo-twice")
    assert [len(shown(html)) for html in pages] == [PAGE_SIZE, 6]
    assert len({i for html in pages for i in shown(html)}) == PAGE_SIZE + 6
    assert "print(24)" in pages[1]
    # a vote on the second page comes back to it
    second = "/tasks/echo-twice/solutions?page=2"
    target = shown(pages[1])[0]
    answer = await _post(
        client,
        second,
        f"/tasks/echo-twice/solutions/{target}/vote",
        {"kind": "clever", "back": second},
    )
    assert answer.headers["location"] == f"{second}#solution-{target}"
    beyond = await client.get("/tasks/echo-twice/solutions?page=9")
    assert beyond.status_code == 200
    assert "No solutions on this page." in beyond.text
    assert (await client.get("/tasks/echo-twice/solutions?page=0")).status_code == 422
    assert (await client.get("/tasks/no-such-task/solutions")).status_code == 404


async def test_moderators_hide_and_unhide(client: httpx.AsyncClient, db: Sessions) -> None:
    world = await _world(db)
    await logged_in(client, db, moderator=True, email="curie@example.com", name="Curie")
    ada = world["ada"]
    page = (await client.get("/tasks/echo-twice")).text
    assert "You see them because you curate this task" in page
    assert shown(page) == [ada, world["bob"]]
    assert "/vote" not in page  # a curator votes only once they solved it

    hidden = await _post(
        client,
        "/tasks/echo-twice",
        f"/tasks/echo-twice/solutions/{ada}/hide",
        {"back": "/tasks/echo-twice"},
    )
    assert hidden.status_code == 303
    assert hidden.headers["location"] == "/tasks/echo-twice#solutions"
    page = (await client.get("/tasks/echo-twice")).text
    assert "The solution is hidden from learners." in page
    assert shown(page) == [world["bob"]]
    listed = await client.get("/tasks/echo-twice/solutions?hidden=true")
    assert listed.status_code == 200
    assert shown(listed.text) == [ada]
    assert "Unhide" in listed.text

    async with visitor(client) as learner:
        me = await add_account(db, "me@example.com", "me", moderator=False)
        await add_solution(db, me, world["task"], "print('mine')\n", shared=False)
        assert (await log_in(learner, "me@example.com", PASSWORD)).status_code == 303
        assert ada not in shown((await learner.get("/tasks/echo-twice")).text)
        assert (await learner.get("/tasks/echo-twice/solutions?hidden=true")).status_code == 403
        refused = await _post(
            learner,
            "/tasks/echo-twice",
            f"/tasks/echo-twice/solutions/{ada}/unhide",
            {"back": "/tasks/echo-twice"},
        )
        assert refused.status_code == 403

    shown_again = await _post(
        client,
        "/tasks/echo-twice/solutions?hidden=true",
        f"/tasks/echo-twice/solutions/{ada}/unhide",
        {"back": "/tasks/echo-twice/solutions?hidden=true&page=1"},
    )
    assert (
        shown_again.headers["location"]
        == "/tasks/echo-twice/solutions?hidden=true&page=1#solutions"
    )
    assert shown((await client.get("/tasks/echo-twice")).text) == [ada, world["bob"]]


async def test_an_author_stops_sharing(client: httpx.AsyncClient, db: Sessions) -> None:
    world = await _world(db)
    me = await _me(client, db)
    mine = await add_solution(db, me, world["task"], "print('mine')\n")
    assert mine in shown((await client.get("/tasks/echo-twice")).text)
    answer = await _post(
        client, "/tasks/echo-twice", "/tasks/echo-twice/solutions/stop-sharing", {}
    )
    assert answer.status_code == 303
    page = (await client.get("/tasks/echo-twice")).text
    assert "Your solution of this task is no longer shared." in page
    assert shown(page) == [world["ada"], world["bob"]]


@pytest.fixture
async def club(db: Sessions) -> dict[str, int]:
    """Server Club with a task of its own that ada (a member) shared a solution of."""
    async with db() as session:
        session.add(GuildSettings(guild_id=SERVER, name="Club"))
        await session.commit()
    task = await add_task(db, "club-task", owner=SERVER)
    ada = await add_person(db, "ada")
    return {"task": task, "ada": await add_solution(db, ada, task, "print('club')\n")}


async def _member(db: Sessions, user_id: int, discord_id: int) -> None:
    """Link the account to a Discord account seen in the server."""
    async with db() as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.discord_id = discord_id
        await remember_member(session, SERVER, user_id)
        await session.commit()


async def test_a_servers_task_only_for_its_members(
    client: httpx.AsyncClient, db: Sessions, club: dict[str, int]
) -> None:
    me = await _me(client, db)
    await add_solution(db, me, club["task"], "print('mine')\n")
    base = f"/s/{SERVER}/tasks/club-task"
    # solved, but not a member: the server's pages do not exist for them
    assert (await client.get(f"{base}/solutions")).status_code == 404
    vote = f"{base}/solutions/{club['ada']}/vote"
    not_member = await _post(client, "/tasks", vote, {"kind": "clever"})
    assert not_member.status_code == 404
    # nor does the shared catalogue's address reach the server's task
    assert (await client.get("/tasks/club-task/solutions")).status_code == 404
    assert (await client.get(f"/s/{SERVER}x/tasks/club-task/solutions")).status_code == 404

    await _member(db, me, 4242)
    page = await client.get(base)
    assert shown(page.text)[0] == club["ada"]
    answer = await _post(client, base, vote, {"kind": "clever", "back": base})
    assert answer.headers["location"] == f"{base}#solution-{club['ada']}"
    assert (await client.get(f"{base}/solutions")).status_code == 200


async def test_a_shared_catalogue_curator_does_not_curate_a_servers_task(
    client: httpx.AsyncClient, db: Sessions, club: dict[str, int]
) -> None:
    curator = await logged_in(client, db, moderator=True, email="curie@example.com", name="Curie")
    await _member(db, curator, 77)
    page = (await client.get(f"/s/{SERVER}/tasks/club-task")).text
    assert LOCKED in page
    refused = await _post(
        client,
        f"/s/{SERVER}/tasks/club-task",
        f"/s/{SERVER}/tasks/club-task/solutions/{club['ada']}/hide",
        {},
    )
    assert refused.status_code == 403


async def test_the_json_api_shows_no_shared_code(client: httpx.AsyncClient, db: Sessions) -> None:
    world = await _world(db)
    me = await _me(client, db)
    await add_solution(db, me, world["task"], "print('mine')\n")  # solved: even then, none
    for address in (
        "/api/v1/tasks",
        "/api/v1/tasks/echo-twice",
        "/api/v1/profiles/ada",
        "/api/v1/profiles/ada/solves",
        "/api/v1/profiles/me/solves",
        "/api/openapi.json",
    ):
        answer = await client.get(address)
        assert answer.status_code in (200, 404), address
        for code in ("print('ada')", "print('bob')", "print(line)"):
            assert code not in answer.text, address
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    assert [path for path in paths if "solution" in path] == []
