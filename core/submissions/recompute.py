"""Streaks recomputed from the ledger: first solves and accepted daily challenges of the shared
catalogue's tasks (a server's own tasks never move a streak).

Each counting submission's day is taken in the zone the award counts it in: the learner's own
zone, else the submission's server's, else the learner's first server's, else UTC; whether it
was a daily challenge, on the server's local day. A learner who changed their own zone has their
whole history counted in the zone they have now (changes are rationed, see
`core.timezones`), so a recompute gives what the incremental updates gave them since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import (
    GLOBAL_CATALOGUE,
    DailyPost,
    GuildMember,
    GuildSettings,
    Solve,
    Submission,
    Task,
    User,
)
from core.streaks import StreakState, counts, local_day, recompute
from core.timezones import zone_or_default
from core.verdicts import SubmissionVerdict

#: learners recomputed per round of queries
BATCH_SIZE = 500
#: the tasks whose solves keep a streak: the shared catalogue's
_COUNTED_TASKS = select(Task.id).where(Task.owner_guild_id == GLOBAL_CATALOGUE)

_STORE = (
    update(User)
    .where(User.id == bindparam("user_id"))
    .values(
        current_streak=bindparam("current"),
        best_streak=bindparam("best"),
        last_active_day=bindparam("last_day"),
        streak_freezes=bindparam("freezes"),
    )
)


@dataclass(frozen=True, slots=True)
class _Ledger:
    """What a batch of learners' streaks are derived from."""

    #: every server's time zone
    zones: dict[int, str]
    #: the learners' own time zones (those who set one)
    own_zones: dict[int, str]
    #: (server, local day, task) of every daily challenge of the batch's accepted tasks
    dailies: set[tuple[int, date, int]]
    #: each learner's servers, first seen first
    servers: dict[int, list[int]]
    #: the submissions that were first solves
    solved: set[int]
    #: first solves whose submission is gone: (learner, when)
    orphans: list[tuple[int, datetime]]


def _is_daily(ledger: _Ledger, servers: Sequence[int], task_id: int, moment: datetime) -> bool:
    """Whether the task was the daily challenge, on its local day, of one of the servers."""
    return any(
        (guild, local_day(moment, zone_or_default(ledger.zones.get(guild))), task_id)
        in ledger.dailies
        for guild in servers
    )


async def _ledger(session: AsyncSession, user_ids: Sequence[int]) -> _Ledger:
    accepted_tasks = select(Submission.task_id).where(
        Submission.user_id.in_(user_ids),
        Submission.verdict == SubmissionVerdict.ACCEPTED,
        Submission.task_id.in_(_COUNTED_TASKS),
    )
    zones = await session.execute(select(GuildSettings.guild_id, GuildSettings.timezone))
    own_zones = await session.execute(
        select(User.id, User.timezone).where(User.id.in_(user_ids), User.timezone.is_not(None))
    )
    dailies = await session.execute(
        select(DailyPost.guild_id, DailyPost.day, DailyPost.task_id).where(
            DailyPost.task_id.in_(accepted_tasks), DailyPost.skipped.is_(False)
        )
    )
    servers: dict[int, list[int]] = defaultdict(list)
    members = await session.execute(
        select(GuildMember.user_id, GuildMember.guild_id)
        .where(GuildMember.user_id.in_(user_ids))
        .order_by(GuildMember.first_seen_at, GuildMember.guild_id)
    )
    for user_id, guild_id in members:
        servers[user_id].append(guild_id)
    solves = await session.execute(
        select(Solve.user_id, Solve.submission_id, Solve.solved_at).where(
            Solve.user_id.in_(user_ids), Solve.task_id.in_(_COUNTED_TASKS)
        )
    )
    solved: set[int] = set()
    orphans: list[tuple[int, datetime]] = []
    for user_id, submission_id, solved_at in solves:
        if submission_id is None:
            orphans.append((user_id, solved_at))
        else:
            solved.add(submission_id)
    return _Ledger(
        zones=dict(zones.all()),
        own_zones={user_id: zone for user_id, zone in own_zones if zone},
        dailies={(guild, day, task) for guild, day, task in dailies},
        servers=servers,
        solved=solved,
        orphans=orphans,
    )


async def _derive(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, StreakState]:
    """The streaks of some learners from scratch."""
    ledger = await _ledger(session, user_ids)
    moments: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for user_id, solved_at in ledger.orphans:
        moments[user_id].append((solved_at, _zone(ledger, user_id, ledger.servers[user_id])))
    accepted = await session.execute(
        select(
            Submission.id,
            Submission.user_id,
            Submission.task_id,
            Submission.guild_id,
            Submission.created_at,
        ).where(
            Submission.user_id.in_(user_ids),
            Submission.verdict == SubmissionVerdict.ACCEPTED,
            Submission.task_id.in_(_COUNTED_TASKS),
        )
    )
    for submission_id, user_id, task_id, guild_id, created_at in accepted:
        servers = [guild_id] if guild_id is not None else ledger.servers[user_id]
        if counts(submission_id in ledger.solved, _is_daily(ledger, servers, task_id, created_at)):
            moments[user_id].append((created_at, _zone(ledger, user_id, servers)))
    return {
        user_id: recompute(
            local_day(moment, zone) for moment, zone in sorted(moments[user_id], key=_moment)
        )
        for user_id in user_ids
    }


def _zone(ledger: _Ledger, user_id: int, servers: Sequence[int]) -> str:
    """The zone a learner's day is counted in: their own, else the first server's, else UTC."""
    own = ledger.own_zones.get(user_id)
    return own or zone_or_default(ledger.zones.get(servers[0]) if servers else None)


def _moment(counted: tuple[datetime, str]) -> datetime:
    return counted[0]


async def recompute_streak(session: AsyncSession, user_id: int) -> StreakState:
    """A learner's streak derived from scratch from their solves and daily challenges."""
    return (await _derive(session, [user_id]))[user_id]


async def recompute_streaks(session: AsyncSession, batch_size: int = BATCH_SIZE) -> int:
    """Store every learner's streak derived from scratch; return how many changed.

    Each batch of learners' rows is locked while it is derived, so awards meanwhile wait.
    Unlocked achievements are kept, even when a best streak shrinks.
    """
    changed = 0
    last_id = 0
    while True:
        rows = (
            await session.execute(
                select(
                    User.id,
                    User.current_streak,
                    User.best_streak,
                    User.last_active_day,
                    User.streak_freezes,
                )
                .where(User.id > last_id)
                .order_by(User.id)
                .limit(batch_size)
                .with_for_update()
            )
        ).all()
        if not rows:
            return changed
        derived = await _derive(session, [row.id for row in rows])
        updates = [
            {
                "user_id": row.id,
                "current": state.current,
                "best": state.best,
                "last_day": state.last_day,
                "freezes": state.freezes,
            }
            for row in rows
            if StreakState(*row[1:]) != (state := derived[row.id])
        ]
        if updates:
            await (await session.connection()).execute(_STORE, updates)
        changed += len(updates)
        last_id = rows[-1].id
