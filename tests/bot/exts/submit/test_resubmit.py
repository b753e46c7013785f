"""The "Edit & resubmit" button of every verdict."""

from __future__ import annotations

from bot.exts.submit._resubmit import resubmit_view


async def test_verdict_buttons_wait_for_nothing() -> None:
    view = resubmit_view("echo-twice")
    assert view.is_finished()  # clicks reach EditButton by its custom id
    ((button,),) = [row["components"] for row in view.to_components()]
    assert (button["custom_id"], button["label"]) == (
        "codestreak:edit:echo-twice",
        "Edit & resubmit",
    )
