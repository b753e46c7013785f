"""Learners choosing their own time zone: validated, rationed to one change a day, clearable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import session_scope
from core.models import GuildSettings, User
from core.timezones import UnknownZone
from core.zone_changes import ZoneChange, ZoneChangeStatus, change_zone
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.learners import GUILD, make_learner


async def _change(
    sessions: Sessions, user: int, requested: str, clock: Clock, guild: int | None = GUILD
) -> ZoneChange:
    async with session_scope(sessions) as session:
        return await change_zone(session, user, requested, guild_id=guild, now=clock.now)


async def _own(sessions: Sessions, user: int) -> tuple[str | None, object]:
    async with sessions() as session:
        learner = await session.get(User, user)
        assert learner is not None
        return learner.timezone, learner.timezone_changed_at


async def test_a_learner_changes_their_zone_at_most_once_a_day(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    first = await _change(sessions, user, "asia/tokyo", clock)
    assert first == ZoneChange(
        ZoneChangeStatus.CHANGED, "Asia/Tokyo", "Asia/Tokyo", clock.now + timedelta(hours=24)
    )
    changed_at = clock.now
    clock.now += timedelta(hours=23)
    again = await _change(sessions, user, "Europe/Berlin", clock)
    assert again == ZoneChange(
        ZoneChangeStatus.TOO_SOON, "Asia/Tokyo", "Asia/Tokyo", changed_at + timedelta(hours=24)
    )
    assert await _own(sessions, user) == ("Asia/Tokyo", changed_at)
    # the same zone again is no change, and does not restart the wait
    same = await _change(sessions, user, "Asia/Tokyo", clock)
    assert same.status is ZoneChangeStatus.UNCHANGED
    assert await _own(sessions, user) == ("Asia/Tokyo", changed_at)
    clock.now += timedelta(hours=1)
    later = await _change(sessions, user, "Europe/Berlin", clock)
    assert (later.status, later.zone) == (ZoneChangeStatus.CHANGED, "Europe/Berlin")
    assert await _own(sessions, user) == ("Europe/Berlin", clock.now)


async def test_server_follows_the_servers_zone_again(sessions: Sessions, clock: Clock) -> None:
    user = await make_learner(sessions, 1)
    async with session_scope(sessions) as session:
        session.add(GuildSettings(guild_id=GUILD, timezone="America/Chicago"))
    nothing = await _change(sessions, user, "server", clock)
    assert nothing == ZoneChange(ZoneChangeStatus.UNCHANGED, None, "America/Chicago", None)
    await _change(sessions, user, "UTC+2", clock)
    assert await _own(sessions, user) == ("Etc/GMT-2", clock.now)
    clock.now += timedelta(days=1)
    cleared = await _change(sessions, user, " Server ", clock)
    assert (cleared.status, cleared.own_zone, cleared.zone) == (
        ZoneChangeStatus.CLEARED,
        None,
        "America/Chicago",
    )
    assert await _own(sessions, user) == (None, clock.now)


@pytest.mark.parametrize("requested", ["Mars/Olympus", "", "UTC+15", "Europe/"])
async def test_an_unknown_zone_is_refused_and_nothing_written(
    sessions: Sessions, clock: Clock, requested: str
) -> None:
    user = await make_learner(sessions, 1)
    with pytest.raises(UnknownZone):
        await _change(sessions, user, requested, clock)
    assert await _own(sessions, user) == (None, None)
