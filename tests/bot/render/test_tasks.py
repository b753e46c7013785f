"""Task embeds: the server's own tasks say so and link under the server's pages; examples the
statement shows are not listed again; tables are rewritten; "how to submit" is a mention."""

from __future__ import annotations

from dataclasses import replace

from bot.command_mentions import Mentions
from bot.render.tasks import SERVER_MARK, SERVER_TASK, task_embed, task_list_embed
from core.catalog import Example, TaskDetail, TaskSummary
from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE
from sandbox import CompareMode

SERVER = 4242
SITE = "https://codestreak.example/"
MENTIONS = Mentions({"submit": 77})


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
    own = task_embed(detail(SERVER), SITE, MENTIONS)
    details = {field.name: field.value for field in own.fields}
    assert str(details["Details"]).startswith(f"{SERVER_TASK}\n**Easy** · 10 points")
    assert own.url == f"https://codestreak.example/s/{SERVER}/tasks/echo"
    shared_task = task_embed(detail(GLOBAL_CATALOGUE), SITE, MENTIONS)
    shared = {field.name: field.value for field in shared_task.fields}
    assert str(shared["Details"]).startswith("**Easy** · 10 points")
    assert str(shared["Details"]).endswith("Solve it with </submit:77> `task:echo`")
    assert shared_task.url == "https://codestreak.example/tasks/echo"


STATEMENT = """Print the line twice.

| input | output |
|---|---|
| `a` | `a a` |

**Example**

Input
```
a
```

Output
```
a
a
```"""


def test_examples_the_statement_shows_are_not_listed_again_and_tables_become_code() -> None:
    task = replace(
        detail(GLOBAL_CATALOGUE),
        statement=STATEMENT,
        examples=(Example("a\n", "a\na\n"), Example("b\n", "b\nb\n")),
    )
    embed = task_embed(task, SITE, MENTIONS)
    names = [field.name for field in embed.fields]
    assert names.count("Example 1 input") == 1  # only b: a is in the statement already
    assert "b" in str(embed.fields[0].value)
    assert "|" not in (embed.description or "")
    assert "```\ninput  output\n-----  ------\na      a a\n```" in (embed.description or "")


def test_a_statement_clipped_inside_a_code_block_closes_it() -> None:
    long = "x\n```\n" + "1\n" * 3000
    embed = task_embed(replace(detail(GLOBAL_CATALOGUE), statement=long), SITE, MENTIONS)
    assert (embed.description or "").endswith("\n```")


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
