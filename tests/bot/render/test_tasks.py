"""Task embeds say when a task is the server's own, and only then."""

from __future__ import annotations

from bot.render.tasks import SERVER_MARK, SERVER_TASK, task_embed, task_list_embed
from core.catalog import Example, TaskDetail, TaskSummary
from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE
from sandbox import CompareMode

SERVER = 4242


def detail(owner: int) -> TaskDetail:
    """A published easy task of `owner`."""
    return TaskDetail(
        slug="echo",
        title="Echo",
        difficulty=Difficulty.EASY,
        points=10,
        tags=("strings",),
        statement="Print the line.",
        template="",
        time_limit_s=2.0,
        memory_mb=64,
        compare_mode=CompareMode.EXACT,
        compare_tolerance=None,
        examples=(Example("a\n", "a\n"),),
        hidden_tests=1,
        solve_count=0,
        solved=None,
        published=True,
        owner_guild_id=owner,
    )


def summary(slug: str, owner: int) -> TaskSummary:
    """A published easy task of `owner` in a list."""
    return TaskSummary(slug, slug.title(), Difficulty.EASY, 10, (), 0, None, True, owner)


def test_a_server_task_says_it_is_this_servers_and_a_shared_one_does_not() -> None:
    details = {field.name: field.value for field in task_embed(detail(SERVER)).fields}
    assert str(details["Details"]).startswith(f"{SERVER_TASK}\n**Easy** · 10 points")
    shared = {field.name: field.value for field in task_embed(detail(GLOBAL_CATALOGUE)).fields}
    assert str(shared["Details"]).startswith("**Easy** · 10 points")


def test_the_list_marks_server_tasks_and_explains_the_mark_only_when_shown() -> None:
    mixed = task_list_embed(
        [summary("shared", GLOBAL_CATALOGUE), summary("own", SERVER)], 2, 0, 1, ""
    )
    assert (mixed.description or "").splitlines() == [
        "**Shared** (`shared`) · easy · 10 pts · solved by 0",
        f"{SERVER_MARK} **Own** (`own`) · easy · 10 pts · solved by 0",
    ]
    assert mixed.footer.text == f"Page 1/1 · {SERVER_MARK} this server's task"
    shared_only = task_list_embed([summary("shared", GLOBAL_CATALOGUE)], 1, 0, 1, "")
    assert shared_only.footer.text == "Page 1/1"
