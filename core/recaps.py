"""The recap after a daily challenge's day: its reference solution and a few shared solutions.

When a posted challenge's day has ended in its server's zone, the recap is posted once in the
day's thread: the task's reference solution and up to three accepted solutions of that day
whose authors agreed, when submitting, to share them (`Submission.shared`) and that no
moderator hid: the shortest, the fastest and the first, by different authors. Only code is
shown, never a test's data.

Like the post itself, the recap is claimed with a lease before it is sent
(`claim_recap`), so that of several bot processes exactly one sends it, and recorded at once
after (`record_recap_posted`); a process that crashed while holding the claim leaves it to
expire. Days further back than RECAP_WINDOW are never recapped (a server that was offline for
a week does not get a week of recaps at once).
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.guilds import Shards
from core.models import DailyPost, GuildMember, GuildSettings, Submission, Task, User
from core.streaks import local_day
from core.timezones import zone_or_default
from core.verdicts import SubmissionVerdict

#: how long a claim on a recap holds (see core.daily.DAILY_POST_LEASE)
RECAP_LEASE = timedelta(minutes=5)
#: how many days back an unsent recap is still sent
RECAP_WINDOW = timedelta(days=2)
#: how many of the day's shared solutions are looked at, in order of submission
CANDIDATES = 500


class Pick(StrEnum):
    """Why a shared solution is in the recap."""

    SHORTEST = "shortest"
    FASTEST = "fastest"
    FIRST = "first accepted"


@dataclass(frozen=True, slots=True)
class DueRecap:
    """A posted daily challenge whose day is over and whose recap is not sent yet."""

    post_id: int
    guild_id: int
    day: date
    #: the day's thread: created from the post, so it has the post's message id
    thread_id: int


@dataclass(frozen=True, slots=True)
class SharedSolution:
    """An accepted solution its author agreed to share, and why it was picked."""

    pick: Pick
    author: str
    code: str
    time_ms: int | None
    #: characters of code, blank lines and comments left out
    length: int


@dataclass(frozen=True, slots=True)
class Recap:
    """What the recap of one server's day shows."""

    post_id: int
    guild_id: int
    day: date
    thread_id: int
    task_slug: str
    task_title: str
    reference: str
    solutions: tuple[SharedSolution, ...]


def code_length(code: str) -> int:
    """Characters of `code` that do something: comments, blank lines and trailing spaces left
    out, so that explaining a solution never makes it "longer"."""
    lines = code.splitlines()
    for row, column in reversed(_comments(code)):
        lines[row - 1] = lines[row - 1][:column]
    return sum(len(line.rstrip()) for line in lines if line.strip())


def _comments(code: str) -> list[tuple[int, int]]:
    """Where the comments of `code` start (line, column), as far as it tokenizes."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                found.append(token.start)
    except (tokenize.TokenError, SyntaxError):
        pass  # what came before the broken part still counts
    return found


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC start and end of a local calendar day."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


async def due_recaps(
    session: AsyncSession, now: datetime, shards: Shards | None = None
) -> list[DueRecap]:
    """Every posted daily challenge (of `shards` only, when given) whose day has ended in its
    server's zone, within RECAP_WINDOW, without a recap yet and not claimed by anyone now."""
    query = (
        select(DailyPost, GuildSettings.timezone)
        .join(GuildSettings, GuildSettings.guild_id == DailyPost.guild_id)
        .where(
            DailyPost.message_id.is_not(None),
            DailyPost.posted_at.is_not(None),
            DailyPost.recap_posted_at.is_(None),
            DailyPost.skipped.is_(False),
            DailyPost.day >= (now - RECAP_WINDOW - timedelta(days=1)).date(),
            or_(DailyPost.recap_claimed_until.is_(None), DailyPost.recap_claimed_until <= now),
        )
        .order_by(DailyPost.day, DailyPost.id)
    )
    if shards is not None:
        shard = DailyPost.guild_id.op(">>")(22) % shards.count
        query = query.where(shard.in_(shards.ids))
    due = []
    for post, zone in (await session.execute(query)).all():
        today = local_day(now, zone_or_default(zone))
        if today - RECAP_WINDOW <= post.day < today and post.message_id is not None:
            due.append(DueRecap(post.id, post.guild_id, post.day, post.message_id))
    return due


async def claim_recap(
    session: AsyncSession,
    post_id: int,
    claimant: str,
    now: datetime,
    lease: timedelta = RECAP_LEASE,
) -> bool:
    """Claim the recap of a daily post for `claimant` until `now + lease`; whether it was
    claimed. Only a posted day's unsent recap that nobody holds is claimed, in one conditional
    UPDATE: of processes racing for it exactly one succeeds. Commit before sending."""
    connection = await session.connection()
    claimed = await connection.execute(
        update(DailyPost)
        .where(
            DailyPost.id == post_id,
            DailyPost.message_id.is_not(None),
            DailyPost.recap_posted_at.is_(None),
            or_(DailyPost.recap_claimed_until.is_(None), DailyPost.recap_claimed_until <= now),
        )
        .values(recap_claimed_by=claimant, recap_claimed_until=now + lease)
    )
    return claimed.rowcount == 1


async def release_recap(session: AsyncSession, post_id: int, claimant: str) -> None:
    """End `claimant`'s claim on a recap it could not send, so it is due again at once."""
    connection = await session.connection()
    await connection.execute(
        update(DailyPost)
        .where(DailyPost.id == post_id, DailyPost.recap_claimed_by == claimant)
        .values(recap_claimed_by=None, recap_claimed_until=None)
    )


async def record_recap_posted(session: AsyncSession, post_id: int, when: datetime) -> None:
    """Record that the recap was sent, ending the claim on it (an earlier record stays)."""
    connection = await session.connection()
    await connection.execute(
        update(DailyPost)
        .where(DailyPost.id == post_id, DailyPost.recap_posted_at.is_(None))
        .values(recap_posted_at=when, recap_claimed_by=None, recap_claimed_until=None)
    )


async def recap_of(session: AsyncSession, post_id: int) -> Recap | None:
    """The recap of a posted daily challenge, or None when the post (or its message) is gone."""
    row = (
        await session.execute(
            select(DailyPost, Task.slug, Task.title, Task.solution, GuildSettings.timezone)
            .join(Task, Task.id == DailyPost.task_id)
            .outerjoin(GuildSettings, GuildSettings.guild_id == DailyPost.guild_id)
            .where(DailyPost.id == post_id)
        )
    ).one_or_none()
    if row is None or row.DailyPost.message_id is None:
        return None
    post: DailyPost = row.DailyPost
    thread_id: int = row.DailyPost.message_id
    solutions = await _shared_solutions(
        session, post.guild_id, post.task_id, day_bounds(post.day, zone_or_default(row.timezone))
    )
    return Recap(
        post.id,
        post.guild_id,
        post.day,
        thread_id,
        row.slug,
        row.title,
        row.solution,
        solutions,
    )


async def _shared_solutions(
    session: AsyncSession, guild_id: int, task_id: int, bounds: tuple[datetime, datetime]
) -> tuple[SharedSolution, ...]:
    """The day's picks among accepted, shared solutions of the task that no moderator hid,
    submitted in the server or by its members: the shortest, the fastest and the first, by
    different authors."""
    members = select(GuildMember.user_id).where(GuildMember.guild_id == guild_id)
    rows = (
        await session.execute(
            select(Submission.user_id, Submission.code, Submission.time_ms, User.display_name)
            .join(User, User.id == Submission.user_id)
            .where(
                Submission.task_id == task_id,
                Submission.verdict == SubmissionVerdict.ACCEPTED,
                Submission.shared.is_(True),
                Submission.share_hidden_at.is_(None),
                Submission.created_at >= bounds[0],
                Submission.created_at < bounds[1],
                or_(Submission.guild_id == guild_id, Submission.user_id.in_(members)),
            )
            .order_by(Submission.created_at, Submission.id)
            .limit(CANDIDATES)
        )
    ).all()
    candidates = [
        _Candidate(order, row.user_id, row.display_name, row.code, row.time_ms)
        for order, row in enumerate(rows)
    ]
    picked: list[SharedSolution] = []
    authors: set[int] = set()
    for pick in Pick:
        left = [c for c in candidates if c.user_id not in authors]
        if not left:
            break
        chosen = min(left, key=lambda c: c.rank(pick))
        authors.add(chosen.user_id)
        picked.append(
            SharedSolution(pick, chosen.author, chosen.code, chosen.time_ms, chosen.length)
        )
    return tuple(picked)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A shared solution of the day, `order`-th in order of submission."""

    order: int
    user_id: int
    author: str
    code: str
    time_ms: int | None

    @property
    def length(self) -> int:
        """Its length as the recap counts it."""
        return code_length(self.code)

    def rank(self, pick: Pick) -> tuple[int, ...]:
        """Its place when picking `pick` (lowest first; ties go to the earlier)."""
        match pick:
            case Pick.SHORTEST:
                return (self.length, self.order)
            case Pick.FASTEST:
                untimed = self.time_ms is None
                return (int(untimed), self.time_ms or 0, self.order)
            case Pick.FIRST:
                return (self.order,)
