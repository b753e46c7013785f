"""Commands written as clickable `</name:id>` mentions, from the ids stored at the last sync.

Discord renders `</name:id>` (and `</name sub:id>` for a subcommand, with the top command's id)
as a link that fills the command in. The ids are read from the database, where the process that
syncs stored them, and read again at most every `REFRESH_S` seconds so that every process learns
new ids soon after a sync. A command whose id is not known yet is written as code, `/name`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.command_syncs import GLOBAL_SCOPE, CommandIds, command_ids

logger = logging.getLogger(__name__)

REFRESH_S = 300.0


@dataclass(frozen=True, slots=True)
class Mentions:
    """The commands as one place (a server, or DMs) shows them: `mentions("submit")`."""

    ids: Mapping[str, int]

    def __call__(self, name: str) -> str:
        """`name` ("submit", "mod channel") as a mention, or as `/name` while its id is unknown."""
        command_id = self.ids.get(name.split()[0])
        return f"</{name}:{command_id}>" if command_id else f"`/{name}`"


class CommandMentions:
    """The stored command ids of this bot's application, per scope, kept fresh."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        #: set once the bot logged in; until then every command is written as `/name`
        self.application_id: int | None = None
        self._ids: dict[int, CommandIds] = {}
        self._read_at: float | None = None

    async def refresh(self) -> None:
        """Read the stored ids now (after this process synced, or when they may be stale)."""
        if self.application_id is None:
            return
        try:
            async with self.sessions() as session:
                self._ids = await command_ids(session, self.application_id)
        except Exception:
            logger.exception("cannot read the commands' ids; mentions stay as they were")
        self._read_at = self.clock()

    async def of(self, guild_id: int | None) -> Mentions:
        """The mentions that work in server `guild_id` (its own commands first, then global
        ones), or in DMs (None: global commands only)."""
        if self._read_at is None or self.clock() - self._read_at > REFRESH_S:
            await self.refresh()
        ids = dict(self._ids.get(GLOBAL_SCOPE, {}))
        if guild_id is not None:
            ids.update(self._ids.get(guild_id, {}))
        return Mentions(ids)
