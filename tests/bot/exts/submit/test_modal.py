"""The code box: pre-filled, detached from discord.py's view store, and its too-long answer."""

from __future__ import annotations

from bot.command_mentions import Mentions
from bot.exts.submit._modal import code_modal, too_long
from core.submissions.drafts import Draft


async def test_code_box_names_its_task_and_waits_for_nothing() -> None:
    """Built in the bot's event loop, as discord.py's views are."""
    modal = code_modal(Draft("echo-twice", "Echo twice", "print(1)\n", previous=True))
    assert modal.custom_id == "codestreak:code:echo-twice"
    assert modal.is_finished()  # discord.py keeps no modal that could time out
    payload = modal.to_dict()
    row, share = payload["components"]
    assert row["components"][0]["value"] == "print(1)\n"
    assert share["type"] == 18  # a label around the share checkbox, not ticked by default
    assert share["component"] == {"type": 23, "custom_id": "share", "default": False}


async def test_code_box_ticks_the_share_box_as_asked() -> None:
    modal = code_modal(Draft("t", "T", "print(1)\n", previous=False), share=True)
    (share,) = [c for c in modal.to_dict()["components"] if c["type"] == 18]
    assert share["label"] == "Share my accepted solution"
    assert share["component"]["default"] is True


def test_too_long_says_whose_code_and_how_to_attach() -> None:
    mention = Mentions({"submit": 42})
    mine = too_long(Draft("t", "T", "x" * 4001, previous=True), mention)
    assert mine.startswith("Your last code for **T** is 4,001 characters")
    assert "Attach a `.py` or `.txt` file" in mine
    assert "Use </submit:42> `task:t` with the file" in mine
    template = too_long(Draft("t", "T", "x" * 5000, previous=False), mention)
    assert template.startswith("The starting code of **T** is 5,000 characters")
