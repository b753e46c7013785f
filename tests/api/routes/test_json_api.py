"""The JSON API and its documentation."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.models import User
from core.settings import Settings
from tests.support.public_data import seed_public_data
from tests.support.rows import discord_learner
from tests.support.site_client import visiting


async def opt_in(db: async_sessionmaker[AsyncSession], learner_id: int) -> None:
    """The learner makes their profile public."""
    async with db() as session:
        learner = await session.get(User, learner_id)
        assert learner is not None
        learner.profile_public = True
        await session.commit()


async def test_the_json_api(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    learner = await discord_learner(db, name="ada_on_discord", solves=2)
    await opt_in(db, learner)
    profile = (await client.get("/api/profiles/ada_on_discord")).json()
    assert profile["points"] == 20
    assert profile["rank"] == 1
    assert [p["points"] for p in profile["points_over_time"]] == [10, 20]
    assert profile["achievements"][0]["slug"] == "first-solve"
    assert "discord_name" not in profile  # the site shows it to its owner only
    board = (await client.get("/api/leaderboard?period=all")).json()
    assert board["entries"][0] == {"rank": 1, "display_name": "ada_on_discord", "value": 20}
    listing = (await client.get("/api/tasks?q=seed")).json()
    assert listing["total"] == 2
    task = (await client.get("/api/tasks/seed-task-0")).json()
    assert task["solve_count"] == 1
    assert "solution" not in task
    assert (await client.get("/api/profiles/nobody")).status_code == 404
    assert (await client.get("/api/tasks?limit=1000")).status_code == 422


async def test_the_api_is_documented(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    assert {"/api/profiles/{name}", "/api/leaderboard", "/api/tasks", "/api/tasks/{slug}"} <= set(
        schema["paths"]
    )
    assert "/login" not in schema["paths"]
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


async def test_the_api_has_a_version_and_the_first_paths_are_deprecated(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await seed_public_data(db)
    current = await client.get("/api/v1/tasks/hello-world")
    first = await client.get("/api/tasks/hello-world")
    assert current.status_code == first.status_code == 200
    assert current.json() == first.json()
    assert "Deprecation" not in current.headers
    assert first.headers["Deprecation"] == "@1795737600"
    assert first.headers["Link"] == '</api/v1/tasks/{slug}>; rel="successor-version"'
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    assert paths["/api/tasks/{slug}"]["get"]["deprecated"] is True
    assert "deprecated" not in paths["/api/v1/tasks/{slug}"]["get"]


async def test_out_of_range_values_are_refused_naming_the_parameter_and_its_range(
    client: httpx.AsyncClient,
) -> None:
    async def refusal(address: str) -> str:
        answer = await client.get(address)
        assert answer.status_code == 422, address
        [problem] = answer.json()["detail"]
        assert set(problem) == {"loc", "msg", "type"}
        return str(problem["msg"])

    assert (
        await refusal("/api/v1/tasks?offset=21602012830873530368")
        == "Query parameter 'offset' must be a whole number from 0 to 1000000."
    )
    assert (
        await refusal("/api/v1/leaderboard?limit=0")
        == "Query parameter 'limit' must be a whole number from 1 to 100."
    )
    assert (await refusal("/api/v1/leaderboard?period=month")).startswith(
        "Query parameter 'period': Input should be 'all', 'week' or 'streak'"
    )
    assert (await refusal("/api/v1/tasks?q=" + "x" * 101)) == (
        "Query parameter 'q' must be at most 100 characters, without control characters."
    )
    assert "without control characters" in await refusal("/api/v1/tasks?q=%00")
    assert (await refusal("/api/v1/tasks/Not_A_Slug")) == (
        "Path parameter 'slug' must be 2 to 64 characters, of lowercase letters, digits and "
        "inner dashes."
    )
    assert "1 to 64 characters" in await refusal("/api/v1/profiles/" + "a" * 65)
    assert (await refusal("/api/v1/leaderboard?cursor=abc")) == (
        "Query parameter 'cursor' must be at most 40 characters, the next_cursor of the page "
        "before."
    )


async def test_the_leaderboard_pages_with_cursors(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await seed_public_data(db)
    seen: list[tuple[int, str, int]] = []
    address: str | None = "/api/v1/leaderboard?period=all&limit=3"
    while address is not None:
        page = (await client.get(address)).json()
        seen += [(e["rank"], e["display_name"], e["value"]) for e in page["entries"]]
        assert (page["next"] is None) == (page["next_cursor"] is None)
        address = page["next"]
    assert seen == [(1, "ada", 40), (2, "grace", 30), (3, "linus", 20), (4, "guido", 10)]


async def test_a_learners_solves_page_with_cursors(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await seed_public_data(db)
    first = (await client.get("/api/v1/profiles/ADA/solves?limit=3")).json()
    assert first["display_name"] == "ada"
    assert [s["slug"] for s in first["solves"]] == ["hello-world", "seed-task-2", "seed-task-1"]
    rest = (await client.get(first["next"])).json()
    assert [s["slug"] for s in rest["solves"]] == ["seed-task-0"]
    assert rest["next"] is None
    assert rest["next_cursor"] is None
    assert (await client.get("/api/v1/profiles/nobody/solves")).status_code == 404


async def test_a_learner_has_a_badge_to_embed(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    await seed_public_data(db)
    async with db() as session:
        session.add(User(display_name='<b>"&amp;', discord_id=99, profile_public=True))
        await session.commit()
    answer = await client.get("/api/v1/u/ada/badge.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert "40 points" in answer.text
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    escaped = await client.get("/api/v1/u/%3Cb%3E%22%26amp%3B/badge.svg")
    title = ElementTree.fromstring(escaped.text).find("{http://www.w3.org/2000/svg}title")
    assert title is not None
    assert title.text == '<b>"&amp; on codestreak: streak 0 days | 0 points'
    missing = await client.get("/api/v1/u/nobody/badge.svg")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "There is no learner with that name."}


async def test_a_private_profile_is_answered_as_nobody(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    learner = await discord_learner(db, name="known_from_discord", solves=1)
    addresses = [
        "/api/v1/profiles/known_from_discord",
        "/api/v1/profiles/known_from_discord/solves",
        "/api/v1/u/known_from_discord/badge.svg",
    ]
    for address in addresses:
        hidden = await client.get(address)
        assert hidden.status_code == 404, address
        assert hidden.json() == {"detail": "There is no learner with that name."}
    await opt_in(db, learner)
    for address in addresses:
        assert (await client.get(address)).status_code == 200, address


async def test_the_leaderboard_names_a_private_learner_by_a_pseudonym(
    client: httpx.AsyncClient, db: async_sessionmaker[AsyncSession]
) -> None:
    """A learner known only from Discord is ranked without publishing their Discord name; a
    public namesake who joined later is still found by name."""
    private = await discord_learner(db, name="ada", solves=1)
    async with db() as session:
        session.add(User(display_name="ADA", discord_id=77, points=5, profile_public=True))
        await session.commit()
    board = (await client.get("/api/v1/leaderboard")).json()
    assert [e["display_name"] for e in board["entries"]] == [f"Learner {private}", "ADA"]
    assert (await client.get("/api/v1/profiles/ada")).json()["points"] == 5


async def test_every_operation_documents_its_answers(client: httpx.AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()
    assert document["info"]["version"] == "1.0.0"
    operations = [
        (path, operation)
        for path, item in document["paths"].items()
        if path.startswith("/api/v1/")
        for operation in item.values()
    ]
    assert len(operations) == 6
    for path, operation in operations:
        answers = operation["responses"]
        assert {"200", "304", "422", "429", "503"} <= set(answers), path
        assert ("404" in answers) == ("{" in path), path
        assert answers["200"]["headers"]["ETag"]["required"] is True
        assert "Retry-After" in answers["429"]["headers"]
        assert operation["tags"], path
        assert operation["description"], path
    assert (
        "image/svg+xml"
        in document["paths"]["/api/v1/u/{name}/badge.svg"]["get"]["responses"]["200"]["content"]
    )


async def test_each_address_is_rate_limited(site_settings: Settings) -> None:
    async with visiting(site_settings.model_copy(update={"api_rate_limit": "3/minute"})) as api:
        for _ in range(3):
            assert (await api.get("/api/v1/tasks")).status_code == 200
        refused = await api.get("/api/tasks")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "too many times" in refused.json()["detail"]


async def test_a_database_out_of_reach_is_a_503(site_settings: Settings, tmp_path: Path) -> None:
    unreachable = f"sqlite+aiosqlite:///{tmp_path}/no/such/folder/site.db"
    async with visiting(site_settings.model_copy(update={"database_url": unreachable})) as api:
        answer = await api.get("/api/v1/tasks")
        page = await api.get("/tasks")
    assert answer.status_code == page.status_code == 503
    assert answer.headers["Retry-After"] == "30"
    assert answer.json() == {
        "detail": "The site cannot reach its database just now. Please try again in a minute."
    }
    assert "Briefly unavailable" in page.text
