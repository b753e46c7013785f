"""`/help` and the welcome a server gets when the bot joins it, with commands as mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.command_mentions import Mentions
from bot.render.text import DESCRIPTION_LIMIT, clip, count, fit_embed, pack_fields
from core.content.schema import Difficulty
from core.daily_mix import stored_mix
from core.hints import HINT_RULE
from core.models import GuildSettings
from core.streaks import DAYS_PER_FREEZE, MAX_FREEZES, STREAK_RULE

#: the message menu, which Discord offers on a message rather than as a typed command
MENU_HINT = "right-click (or long-press) a message with code → **Apps** → **{name}**"


@dataclass(frozen=True, slots=True)
class CommandLine:
    """One command for `/help`: its full name ("mod channel") and what it does."""

    name: str
    description: str
    #: a message menu, used from a message instead of typed
    menu: bool = False


def _command_lines(commands: Sequence[CommandLine], mentions: Mentions) -> list[str]:
    return [
        MENU_HINT.format(name=c.name) + f": {c.description}"
        if c.menu
        else f"{mentions(c.name)} {c.description}"
        for c in commands
    ]


def _points(daily_bonus: int) -> str:
    by_difficulty = ", ".join(f"{d.label} {d.default_points}" for d in Difficulty)
    return (
        f"Your first accepted solve of a task earns its points ({by_difficulty}, unless the task "
        f"says otherwise); solving again earns nothing more. Solving this server's daily "
        f"challenge on its day adds {count(daily_bonus, 'point')}. 🏠 tasks are this server's "
        "own: their points count on its leaderboard only."
    )


def _streaks(mentions: Mentions) -> str:
    return (
        f"{STREAK_RULE} Days follow your own time zone (set it with {mentions('profile')} "
        "`timezone:`, once a day), else the server's. Every "
        f"{DAYS_PER_FREEZE}th day in a row earns a streak freeze (you hold at most "
        f"{MAX_FREEZES}); a freeze bridges one missed day by itself, so one busy day does not "
        "end your streak."
    )


def _hints(mentions: Mentions) -> str:
    return f"Stuck? {mentions('hint')} reveals a task's hints one at a time. {HINT_RULE}"


def help_embed(
    learner_commands: Sequence[CommandLine],
    moderator_commands: Sequence[CommandLine],
    mentions: Mentions,
    daily_bonus: int,
) -> discord.Embed:
    """What to do first, how points, streaks and freezes work, and every command as a
    clickable mention."""
    start = [
        "**Start here**",
        f"1. {mentions('daily')} shows today's challenge; {mentions('tasks')} lists every task "
        f"and {mentions('task')} shows one.",
        "2. Write a Python program that reads the input and prints the answer.",
        f"3. Send it with {mentions('submit')} (a code box, or attach a `.py` file), or "
        + MENU_HINT.format(name="Submit solution")
        + ".",
        "4. The verdict shows the first test you failed: fix it and send it again.",
        f"5. Come back tomorrow to grow your streak; {mentions('profile')} shows it, "
        f"{mentions('achievements')} what to aim for next.",
    ]
    embed = discord.Embed(
        title="How codestreak works",
        description=clip("\n".join(start), DESCRIPTION_LIMIT),
        colour=discord.Colour.blurple(),
    )
    embed.add_field(name="Points", value=_points(daily_bonus), inline=False)
    embed.add_field(name="Streaks and freezes", value=_streaks(mentions), inline=False)
    embed.add_field(name="Hints", value=_hints(mentions), inline=False)
    pack_fields(embed, "Commands", _command_lines(learner_commands, mentions), "More commands")
    if moderator_commands:
        lines = _command_lines(moderator_commands, mentions)
        pack_fields(embed, "For moderators", lines, "More for moderators")
    return fit_embed(embed)


def _check(done: bool, text: str) -> str:
    return f"{'✅' if done else '⬜'} {text}"


def welcome_embed(settings: GuildSettings, mentions: Mentions) -> discord.Embed:
    """The note a server gets when the bot joins: what it does, and a setup checklist for its
    moderators (already ticked where a server that had the bot before set things up)."""
    checklist = [
        _check(
            settings.challenge_channel_id is not None,
            f"Pick the channel for the daily challenge: {mentions('mod channel')} "
            "(nothing is posted until then).",
        ),
        _check(
            True,
            f"Posting time: {settings.post_time:%H:%M} {settings.timezone}; change it with "
            f"{mentions('mod time')}.",
        ),
        _check(
            True,
            f"Daily difficulty: `{stored_mix(settings.daily_mix).describe()}`; change it with "
            f"{mentions('mod daily-mix')}.",
        ),
        _check(
            settings.mod_log_channel_id is not None,
            f"Where I report problems (a post I could not make, a role I could not give): "
            f"{mentions('mod log-channel')}.",
        ),
        _check(
            settings.moderator_role_id is not None,
            f"Optional: a moderator role besides Manage Server: {mentions('mod moderator-role')}.",
        ),
        _check(
            bool(settings.achievement_roles),
            f"Optional: roles for achievements: {mentions('mod role')}.",
        ),
    ]
    embed = discord.Embed(
        title="Thanks for adding codestreak!",
        description=(
            "I post a Python challenge every day, grade solutions in seconds and keep points, "
            "streaks and achievements for everyone here."
        ),
        colour=discord.Colour.blurple(),
    )
    embed.add_field(name="Setup checklist (moderators)", value="\n".join(checklist), inline=False)
    embed.add_field(
        name="Check it",
        value=f"{mentions('mod settings')} shows the configuration at a glance; "
        f"{mentions('mod post-daily')} posts today's challenge at once.",
        inline=False,
    )
    embed.add_field(
        name="Everyone",
        value=f"{mentions('help')} explains everything; {mentions('daily')} shows today's "
        f"challenge and {mentions('submit')} sends a solution.",
        inline=False,
    )
    return fit_embed(embed)
