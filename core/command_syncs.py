"""Which command payload Discord already has, and the ids it gave those commands.

Kept in the database rather than a local file so that every process (and every restart on a new
machine) knows what was synced, and can write commands as `</name:id>` mentions.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import CommandSync, utcnow

#: the scope of global commands (a server's scope is its id)
GLOBAL_SCOPE = 0

#: a top-level command's id by its name
CommandIds = dict[str, int]


async def synced_hash(session: AsyncSession, application_id: int, scope: int) -> str | None:
    """The hash of the payload last synced for the application in `scope`, if any."""
    row = await session.get(CommandSync, (application_id, scope))
    return row.payload_hash if row else None


async def record_sync(
    session: AsyncSession,
    application_id: int,
    scope: int,
    payload_hash: str,
    command_ids: Mapping[str, int],
) -> None:
    """Remember that the payload with `payload_hash` was synced for the application in `scope`,
    and the ids Discord answered for its commands."""
    row = await session.get(CommandSync, (application_id, scope))
    if row is None:
        row = CommandSync(application_id=application_id, scope=scope, payload_hash=payload_hash)
        session.add(row)
    row.payload_hash = payload_hash
    row.command_ids = dict(command_ids)
    row.synced_at = utcnow()


async def record_command_ids(
    session: AsyncSession, application_id: int, scope: int, command_ids: Mapping[str, int]
) -> None:
    """Remember the ids of the commands already synced in `scope` (read back from Discord)."""
    row = await session.get(CommandSync, (application_id, scope))
    if row is not None:
        row.command_ids = dict(command_ids)


async def command_ids(session: AsyncSession, application_id: int) -> dict[int, CommandIds]:
    """Every scope's known command ids for the application: {scope: {name: id}}."""
    rows = await session.execute(
        select(CommandSync.scope, CommandSync.command_ids).where(
            CommandSync.application_id == application_id
        )
    )
    return {
        scope: {name: int(command_id) for name, command_id in ids.items()}
        for scope, ids in rows
        if ids
    }
