"""What `/remind` changes and shows: on or off, the time, the zone and the next reminder."""

from __future__ import annotations

from datetime import UTC, datetime, time

from core.db import session_scope
from core.models import User
from core.reminder_settings import ZoneSource, reminder_plan, set_reminders
from tests.support.databases import Sessions
from tests.support.reminders import MONDAY, streaking_learner

EVENING = datetime(2026, 5, 4, 20, 0, tzinfo=UTC)


async def test_remind_settings_name_the_zone_and_the_next_reminder(sessions: Sessions) -> None:
    ada = await streaking_learner(sessions, 1, None, reminders=False)
    noon = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    async with session_scope(sessions) as session:
        plan = await set_reminders(session, ada, noon, enabled=True)
    assert (plan.enabled, plan.at, plan.zone, plan.zone_source) == (
        True,
        time(20, 0),
        "UTC",
        ZoneSource.DEFAULT,
    )
    assert (plan.streak, plan.next_at) == (3, EVENING)
    async with session_scope(sessions) as session:
        plan = await set_reminders(session, ada, noon, at=time(7, 45))
    assert plan.next_at == datetime(2026, 5, 5, 7, 45, tzinfo=UTC)  # today's time has passed
    async with session_scope(sessions) as session:
        user = await session.get(User, ada)
        assert user is not None
        user.timezone = "Europe/Berlin"
        user.last_active_day = MONDAY
    async with sessions() as session:
        plan = await reminder_plan(session, ada, datetime(2026, 5, 4, 4, 0, tzinfo=UTC))
    # 06:00 in Berlin: 07:45 is still ahead, but today already counts
    assert (plan.zone, plan.zone_source) == ("Europe/Berlin", ZoneSource.OWN)
    assert plan.next_at == datetime(2026, 5, 5, 5, 45, tzinfo=UTC)
    async with session_scope(sessions) as session:
        plan = await set_reminders(session, ada, noon, enabled=False)
    assert not plan.enabled
    assert plan.at == time(7, 45)
