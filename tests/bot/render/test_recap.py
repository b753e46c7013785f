"""The recap message: every solution behind a spoiler, within Discord's 2,000 characters."""

from __future__ import annotations

from datetime import date

from bot.command_mentions import Mentions
from bot.render.recap import recap_marker, recap_message, spoiler_block
from core.recaps import Pick, Recap, SharedSolution

DAY = date(2026, 5, 4)


def recap(*solutions: SharedSolution, reference: str = "print(1)\n") -> Recap:
    """A recap of Echo twice with `solutions`."""
    return Recap(1, 10, DAY, 99, "echo-twice", "Echo *twice*", reference, solutions)


def solution(pick: Pick, author: str, code: str, time_ms: int | None = 5) -> SharedSolution:
    """A shared solution."""
    return SharedSolution(pick, author, code, time_ms, len(code.strip()))


def test_solutions_are_spoilers_and_fences_inside_them_cannot_close_the_block() -> None:
    message = recap_message(
        recap(
            solution(Pick.SHORTEST, "ada_", "print('```')\n"),
            solution(Pick.FASTEST, "bob", "x = 1\n", time_ms=7),
            solution(Pick.FIRST, "cy", "y = 2\n", time_ms=None),
        ),
        Mentions({}),
    )
    assert message.files == ()
    assert message.content.startswith(recap_marker(DAY) + "\nThe day of **Echo \\*twice\\***")
    assert "||```py\nprint('`\u200b``')\n```||" in message.content
    assert "**Shortest** · by ada\\_ (12 characters):" in message.content
    assert "**Fastest** · by bob (7 ms):" in message.content
    assert "**First accepted** · by cy (first of the day):" in message.content
    assert message.content.count("||```py") == 4  # the reference and three solutions


def test_the_longest_solutions_are_attached_until_the_message_fits() -> None:
    long = "x = 1\n" * 250
    longer = "y = 2\n" * 300
    message = recap_message(
        recap(solution(Pick.SHORTEST, "ada", long), solution(Pick.FASTEST, "Bob Ross!", longer)),
        Mentions({}),
    )
    assert len(message.content) <= 2000
    # the longest goes first, and then the rest fits
    assert [(f.filename, f.code) for f in message.files] == [("fastest-bob-ross.py", longer)]
    assert "attached as `fastest-bob-ross.py` (spoiler)" in message.content
    assert spoiler_block(long) in message.content
    assert spoiler_block("print(1)\n") in message.content


def test_a_day_without_shared_solutions_says_how_to_share() -> None:
    message = recap_message(recap(), Mentions({"submit": 42}))
    assert "Nobody shared an accepted solution this time." in message.content
    assert "in the code box of </submit:42>" in message.content
