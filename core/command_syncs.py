"""Which command payload Discord already has, so that unchanged commands are not synced again.

Kept in the database rather than a local file so that every process (and every restart on a new
machine) knows what was synced.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.models import CommandSync, utcnow

#: the scope of global commands (a server's scope is its id)
GLOBAL_SCOPE = 0


async def synced_hash(session: AsyncSession, application_id: int, scope: int) -> str | None:
    """The hash of the payload last synced for the application in `scope`, if any."""
    row = await session.get(CommandSync, (application_id, scope))
    return row.payload_hash if row else None


async def record_sync(
    session: AsyncSession, application_id: int, scope: int, payload_hash: str
) -> None:
    """Remember that the payload with `payload_hash` was synced for the application in `scope`."""
    row = await session.get(CommandSync, (application_id, scope))
    if row is None:
        session.add(
            CommandSync(application_id=application_id, scope=scope, payload_hash=payload_hash)
        )
    else:
        row.payload_hash = payload_hash
        row.synced_at = utcnow()
