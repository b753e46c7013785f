"""Preview cards of public profiles and of the shared catalogue's tasks, as PNG images:
`/u/<name>/card.png` and `/tasks/<slug>/card.png`, named by the pages' OpenGraph tags.

A private profile has no card (the same 404 as for nobody). Cards are public and cacheable: an
ETag of the image and a few minutes' Cache-Control, so chat apps and their proxies keep them.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response

from api.caching import cacheable
from api.cards import Card, Fact, card_png
from api.deps import Db
from api.params import LearnerName, TaskSlug
from core.catalog import task_detail
from core.profiles import load_profile, public_learner

router = APIRouter(include_in_schema=False)

PNG = "image/png"
#: how long caches may keep a card: profiles change as their learners solve
CARD_MAX_AGE_S = 600
NO_LEARNER = "There is no learner with that name."
NO_TASK = "There is no published task at this address."


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


@router.get("/u/{name}/card.png")
async def profile_card(request: Request, db: Db, name: LearnerName) -> Response:
    """A public profile's card: display name, points, current streak, tasks solved, rank."""
    learner = await public_learner(db, name)
    profile = await load_profile(db, learner.id) if learner else None
    if profile is None:
        raise HTTPException(404, NO_LEARNER)
    facts = (
        Fact(str(profile.points), _plural(profile.points, "point", "points")),
        Fact(str(profile.current_streak), "day streak"),
        Fact(
            str(profile.solved_total), _plural(profile.solved_total, "task solved", "tasks solved")
        ),
        Fact(f"#{profile.rank.rank}" if profile.rank else "–", "rank"),
    )
    card = Card("Learner profile", profile.display_name, facts)
    return cacheable(request, await card_png(card), PNG, CARD_MAX_AGE_S)


@router.get("/tasks/{slug}/card.png")
async def task_card(request: Request, db: Db, slug: TaskSlug) -> Response:
    """A shared catalogue task's card: title, difficulty, points, solvers and tags."""
    task = await task_detail(db, slug)
    if task is None:
        raise HTTPException(404, NO_TASK)
    facts = (
        Fact(str(task.points), "points"),
        Fact(str(task.solve_count), _plural(task.solve_count, "solver", "solvers")),
    )
    card = Card(f"{task.difficulty.value.capitalize()} task", task.title, facts, task.tags)
    return cacheable(request, await card_png(card), PNG, CARD_MAX_AGE_S)
