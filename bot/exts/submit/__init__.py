"""Submitting solutions: `/submit` (code box or file), the `Submit solution` message menu, and
"Edit & resubmit" under every verdict.

Besides `setup`, the face shows how code and a task are found in a chat message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.exts.submit._codeblock import first_code_block, named_task
from bot.exts.submit._cog import SubmitCog
from bot.exts.submit._resubmit import EditButton

if TYPE_CHECKING:
    from bot.client import CodestreakBot

__all__ = ["first_code_block", "named_task", "setup"]


async def setup(bot: CodestreakBot) -> None:
    """Add `/submit`, the message menu and the "Edit & resubmit" button to `bot`."""
    await bot.add_cog(SubmitCog(bot))
    bot.add_dynamic_items(EditButton)
