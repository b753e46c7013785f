"""The public JSON API, version 1: profiles, solves, leaderboards, tasks and badges.

Read-only and public: every operation is a GET without credentials, open to any origin
(api.cors), counted per address (`API_RATE_LIMIT`), cacheable (api.caching). The version is
in the path, `/api/v1/...`, so that a later, incompatible version can live beside it; the first
paths, `/api/...`, answer the same and are marked deprecated (a `Deprecation` header and a
`Link` to the successor).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.routing import APIRoute
from limits import parse
from sqlalchemy.ext.asyncio import AsyncSession

from api.badges import badge_svg
from api.caching import BADGE_MAX_AGE_S, cacheable
from api.deps import Db, Site
from api.docs import Tag, documented, link
from api.params import (
    BoardCursor,
    LearnerName,
    Limit,
    Offset,
    SearchText,
    SolvesCursor,
    TaskSlug,
)
from api.params import Tag as TagFilter
from api.rate_limits import client_address, count_attempt
from api.routes.profiles import found_profile
from api.schemas import (
    AchievementOut,
    LeaderboardEntryOut,
    LeaderboardOut,
    PointsOnDay,
    ProfileOut,
    SolvedOut,
    SolvesOut,
    TaskListOut,
    TaskOut,
    TaskSummaryOut,
)
from core.catalog import list_tasks, task_detail
from core.content.schema import Difficulty
from core.leaderboards import Mark, Period, top_after
from core.models import User
from core.profiles import public_learner as find_public_learner
from core.profiles import solves_page

PREFIX = "/api/v1"
LEGACY_PREFIX = "/api"
NO_LEARNER = "There is no learner with that name."
#: when the unversioned paths were deprecated (2026-11-27, as `/api/v1` arrived), as RFC 9745
#: writes it
DEPRECATED_SINCE = "@1795737600"

Endpoint = Callable[..., Awaitable[Response]]


class SvgResponse(Response):
    """An SVG image."""

    media_type = "image/svg+xml"


async def count_request(request: Request, site: Site) -> None:
    """Count one request of this address; 429 with Retry-After past `API_RATE_LIMIT`."""
    rule = parse(site.settings.api_rate_limit)
    await count_attempt(request, rule, "api", client_address(request))


def _next_link(request: Request, cursor: str | None) -> str | None:
    """The address of the same list from `cursor` on; None without a cursor."""
    if cursor is None:
        return None
    following = request.url.include_query_params(cursor=cursor)
    return f"{following.path}?{following.query}"


async def public_learner(db: AsyncSession, name: str) -> User:
    """The learner called `name` (any case) who made their profile public; the same 404 for
    nobody and for a private profile (a learner known only from Discord has none), so that
    nothing tells them apart."""
    learner = await find_public_learner(db, name)
    if learner is None:
        raise HTTPException(404, NO_LEARNER)
    return learner


async def profile(request: Request, db: Db, name: LearnerName) -> Response:
    """A learner's public profile, found by display name (any case): points, rank, streaks,
    solved tasks, achievements, points over time and activity."""
    await public_learner(db, name)
    found = (await found_profile(db, name, None)).profile
    return cacheable(
        request,
        ProfileOut(
            display_name=found.display_name,
            points=found.points,
            rank=found.rank.rank if found.rank else None,
            current_streak=found.current_streak,
            best_streak=found.best_streak,
            solved_by_difficulty=found.solved_by_difficulty,
            solved=[SolvedOut.model_validate(s) for s in found.solved],
            achievements=[AchievementOut.model_validate(a) for a in found.achievements],
            points_over_time=[PointsOnDay(day=d, points=p) for d, p in found.points_over_time],
            activity=found.activity,
            member_since=found.member_since,
        ),
    )


async def solves(
    request: Request, db: Db, name: LearnerName, limit: Limit = 25, cursor: SolvesCursor = None
) -> Response:
    """A learner's solves, latest first, page by page: follow `next` until it is null."""
    learner = await public_learner(db, name)
    before = int(cursor) if cursor is not None else None
    found = await solves_page(db, learner.id, before, limit + 1)
    page = found[:limit]
    next_cursor = str(page[-1].solve_id) if len(found) > limit else None
    return cacheable(
        request,
        SolvesOut(
            display_name=learner.display_name,
            solves=[SolvedOut.model_validate(s.solved) for s in page],
            next_cursor=next_cursor,
            next=_next_link(request, next_cursor),
        ),
    )


async def leaderboard(
    request: Request,
    db: Db,
    period: Period = Period.ALL,
    limit: Limit = 25,
    cursor: BoardCursor = None,
) -> Response:
    """A leaderboard, best first, page by page: all-time points, this week's points, or
    current streaks (`value` is points, or days for streaks). Follow `next` until it is null."""
    after = Mark(*map(int, cursor.split("."))) if cursor is not None else None
    found = await top_after(db, period, after, limit=limit + 1)
    page = found[:limit]
    last = page[-1] if len(found) > limit else None
    next_cursor = f"{last.value}.{last.user_id}" if last else None
    return cacheable(
        request,
        LeaderboardOut(
            period=period,
            entries=[
                LeaderboardEntryOut(rank=e.rank, display_name=e.public_name, value=e.value)
                for e in page
            ],
            next_cursor=next_cursor,
            next=_next_link(request, next_cursor),
        ),
    )


async def tasks(
    request: Request,
    db: Db,
    difficulty: Difficulty | None = None,
    tag: TagFilter = None,
    q: SearchText = None,
    limit: Limit = 25,
    offset: Offset = 0,
) -> Response:
    """Published tasks of the shared catalogue, easiest first, filtered by difficulty, tag
    and text; `total` counts every match."""
    found, total = await list_tasks(
        db, difficulty=difficulty, tag=tag, text=q, limit=limit, offset=offset
    )
    return cacheable(
        request, TaskListOut(total=total, tasks=[TaskSummaryOut.model_validate(t) for t in found])
    )


async def task(request: Request, db: Db, slug: TaskSlug) -> Response:
    """One published task: statement in Markdown, visible examples, limits and solve count."""
    detail = await task_detail(db, slug)
    if detail is None:
        raise HTTPException(404, "There is no published task with this slug.")
    return cacheable(request, TaskOut.model_validate(detail))


async def badge(request: Request, db: Db, name: LearnerName) -> Response:
    """A shields-style SVG badge of a public profile's current streak and points, to embed in
    a README: `![codestreak](https://SITE/api/v1/u/NAME/badge.svg)`."""
    await public_learner(db, name)
    found = (await found_profile(db, name, None)).profile
    svg = badge_svg(found.display_name, found.current_streak, found.points)
    return cacheable(request, svg, SvgResponse.media_type, BADGE_MAX_AGE_S)


def _operations(router: APIRouter) -> APIRouter:
    """`router` with every operation of the API, linked where one answer names another's
    input (operation ids are the functions' names)."""
    learner = {
        "profile": link("profile", "name", "/display_name"),
        "solves": link("solves", "name", "/display_name"),
        "badge": link("badge", "name", "/display_name"),
    }
    routes: list[tuple[str, Endpoint, Any, Tag, tuple[int, ...], dict[str, Any]]] = [
        ("/profiles/{name}", profile, ProfileOut, Tag.LEARNERS, (404,), learner),
        (
            "/profiles/{name}/solves",
            solves,
            SolvesOut,
            Tag.LEARNERS,
            (404,),
            {"task": link("task", "slug", "/solves/0/slug")},
        ),
        (
            "/leaderboard",
            leaderboard,
            LeaderboardOut,
            Tag.LEADERBOARDS,
            (),
            {"profile": link("profile", "name", "/entries/0/display_name")},
        ),
        (
            "/tasks",
            tasks,
            TaskListOut,
            Tag.TASKS,
            (),
            {"task": link("task", "slug", "/tasks/0/slug")},
        ),
        ("/tasks/{slug}", task, TaskOut, Tag.TASKS, (404,), {}),
    ]
    for path, endpoint, model, tag, errors, links in routes:
        router.add_api_route(
            path,
            endpoint,
            response_model=model,
            tags=[tag],
            responses=documented(*errors, links=links),
        )
    router.add_api_route(
        "/u/{name}/badge.svg",
        badge,
        response_class=SvgResponse,
        tags=[Tag.BADGES],
        responses=documented(404, body=SvgResponse.media_type),
    )
    return router


class DeprecatedRoute(APIRoute):
    """An operation at its first, unversioned path: answers as its successor does, saying so."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The handler, adding `Deprecation` and a `Link` to the versioned path."""
        handler = super().get_route_handler()
        successor = PREFIX + self.path_format.removeprefix(LEGACY_PREFIX)

        async def handle(request: Request) -> Response:
            response = await handler(request)
            response.headers["Deprecation"] = DEPRECATED_SINCE
            response.headers["Link"] = f'<{successor}>; rel="successor-version"'
            return response

        return handle


def _operation_id(route: APIRoute) -> str:
    return route.name


def _legacy_operation_id(route: APIRoute) -> str:
    return f"{route.name}_unversioned"


COUNTED = [Depends(count_request)]
router = _operations(
    APIRouter(prefix=PREFIX, dependencies=COUNTED, generate_unique_id_function=_operation_id)
)
legacy_router = _operations(
    APIRouter(
        prefix=LEGACY_PREFIX,
        dependencies=COUNTED,
        deprecated=True,
        route_class=DeprecatedRoute,
        generate_unique_id_function=_legacy_operation_id,
    )
)
