"""Tasks as embeds: one task with its statement and examples, and a page of the catalogue.

A task's embed links to its page on the site, rewrites the statement's tables for Discord, and
lists as fields only the examples the statement does not already show.
"""

from __future__ import annotations

import discord

from bot.command_mentions import Mentions
from bot.render.markdown import close_fences, render_tables, shows
from bot.render.text import DESCRIPTION_LIMIT, TITLE_LIMIT, clip, code_block, count, fit_embed
from core.catalog import Example, TaskDetail, TaskSummary
from core.content.schema import Difficulty
from core.models import GLOBAL_CATALOGUE

DIFFICULTY_COLOURS = {
    Difficulty.EASY: discord.Colour.green(),
    Difficulty.MEDIUM: discord.Colour.gold(),
    Difficulty.HARD: discord.Colour.red(),
}
SHOWN_EXAMPLES = 3
EXAMPLE_TEXT = 480
STATEMENT_LIMIT = 2500
#: marks a task a server added for itself (only ever shown in that server)
SERVER_MARK = "🏠"
SERVER_TASK = f"{SERVER_MARK} This server's task: its points count on this server's board"


def is_server_task(task: TaskSummary | TaskDetail) -> bool:
    """Whether a server added the task for itself (else it is of the shared catalogue)."""
    return task.owner_guild_id != GLOBAL_CATALOGUE


def _status(solved: bool | None) -> str:
    if solved is None:
        return ""
    return " · ✅ solved by you" if solved else " · not solved by you yet"


def _hints(task: TaskDetail, mentions: Mentions) -> str:
    """The hints on offer, as a line pointing to `/hint`; nothing for a task without any."""
    if not task.hint_count:
        return ""
    price = "free now that you solved it" if task.solved else "each costs points"
    return (
        f"\n💡 {count(task.hint_count, 'hint')} available — {mentions('hint')} "
        f"`task:{task.slug}` ({price})"
    )


def task_url(site_url: str, task: TaskSummary | TaskDetail) -> str:
    """The task's page on the site: a server's own task under that server's pages."""
    server = f"/s/{task.owner_guild_id}" if is_server_task(task) else ""
    return f"{site_url.rstrip('/')}{server}/tasks/{task.slug}"


def _statement(task: TaskDetail) -> str:
    """The statement as Discord can show it: tables rewritten, clipped, code blocks closed."""
    limit = min(STATEMENT_LIMIT, DESCRIPTION_LIMIT)
    return close_fences(clip(render_tables(task.statement), limit - 4))


def _unshown(statement: str, examples: tuple[Example, ...]) -> list[Example]:
    """The examples the statement does not already show (input and output both)."""
    return [e for e in examples if not (shows(statement, e.input) and shows(statement, e.output))]


def task_embed(
    task: TaskDetail, site_url: str, mentions: Mentions, heading: str | None = None
) -> discord.Embed:
    """A task's statement, the examples it does not show itself, limits, points, the learner's
    status and how to submit, linked to the task's page on the site."""
    title = f"{heading}: {task.title}" if heading else task.title
    statement = _statement(task)
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        url=task_url(site_url, task),
        description=statement,
        colour=DIFFICULTY_COLOURS[task.difficulty],
    )
    for number, example in enumerate(_unshown(statement, task.examples)[:SHOWN_EXAMPLES], 1):
        embed.add_field(
            name=f"Example {number} input",
            value=code_block(example.input, EXAMPLE_TEXT),
            inline=True,
        )
        embed.add_field(name="Output", value=code_block(example.output, EXAMPLE_TEXT), inline=True)
        embed.add_field(name="\u200b", value="\u200b", inline=False)
    hidden = f" + {task.hidden_tests} hidden" if task.hidden_tests else ""
    owner = f"{SERVER_TASK}\n" if is_server_task(task) else ""
    embed.add_field(
        name="Details",
        value=(
            f"{owner}**{task.difficulty.label}** · {task.points} points · "
            f"{len(task.examples)} visible tests{hidden}\n"
            f"Limits: {task.time_limit_s:g} s, {task.memory_mb} MB per test · "
            f"solved by {task.solve_count}{_status(task.solved)}\n"
            f"Solve it with {mentions('submit')} `task:{task.slug}`{_hints(task, mentions)}"
        ),
        inline=False,
    )
    if task.tags:
        embed.set_footer(text=clip("Tags: " + ", ".join(task.tags), 2048))
    return fit_embed(embed)


def task_list_embed(
    tasks: list[TaskSummary], total: int, page: int, pages: int, filters: str
) -> discord.Embed:
    """One page of the task list."""
    if not tasks:
        return discord.Embed(
            title="Tasks",
            description="No task matches these filters.",
            colour=discord.Colour.greyple(),
        )
    lines = []
    for task in tasks:
        marks = ("✅ " if task.solved else "") + (f"{SERVER_MARK} " if is_server_task(task) else "")
        lines.append(
            f"{marks}**{task.title}** (`{task.slug}`) · {task.difficulty} · {task.points} pts · "
            f"solved by {task.solve_count}"
        )
    embed = discord.Embed(
        title=f"Tasks ({total})",
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=discord.Colour.blurple(),
    )
    legend = f" · {SERVER_MARK} this server's task" if any(map(is_server_task, tasks)) else ""
    embed.set_footer(text=clip(f"Page {page + 1}/{pages}{filters}{legend}", 2048))
    return embed
