"""The code box of `/submit` and "Edit & resubmit": the learner's last code, else the template.

discord.py forgets a modal when its view times out or the bot restarts, and then drops the
submission unanswered: the learner's typed code is lost. So the box is sent as a plain form
(no view waiting for it) whose custom id names the task, and any submission of it is graded by
`code_from_submission` whenever it comes.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.command_mentions import Mentions
from bot.exts.submit._attachments import HOW_TO_ATTACH
from bot.render.text import clip
from bot.replies import tell
from bot.services import Services
from core.catalog import audience_of
from core.submissions.drafts import Draft, starting_code

MODAL_TITLE_LIMIT = 45
CODE_LIMIT = 4000
CODE_FIELD_ID = "code"
#: custom ids of code boxes: the prefix, then the task's slug
MODAL_PREFIX = "codestreak:code:"


def code_modal(draft: Draft) -> discord.ui.Modal:
    """The code box for `draft`'s task, filled with its code; sent detached (see the module)."""
    modal = discord.ui.Modal(
        title=clip(f"Submit: {draft.title}", MODAL_TITLE_LIMIT),
        custom_id=f"{MODAL_PREFIX}{draft.slug}",
    )
    modal.add_item(
        discord.ui.TextInput(
            label="Your Python code",
            custom_id=CODE_FIELD_ID,
            style=discord.TextStyle.paragraph,
            default=draft.code or None,
            max_length=CODE_LIMIT,
            required=True,
        )
    )
    modal.stop()  # a finished modal is not stored by discord.py, so nothing can time out
    return modal


def too_long(draft: Draft, mention: Mentions) -> str:
    """How to send code that does not fit in a code box."""
    whose = "Your last code for" if draft.previous else "The starting code of"
    return (
        f"{whose} **{draft.title}** is {len(draft.code):,} characters, more than a "
        f"code box holds ({CODE_LIMIT:,}). {HOW_TO_ATTACH} Use {mention('submit')} "
        f"`task:{draft.slug}` with the file, or **Submit solution** from the message's Apps menu."
    )


async def open_code_modal(services: Services, interaction: discord.Interaction, slug: str) -> None:
    """Answer `interaction` with the code box of task `slug`, or say why there is none."""
    learner = await services.learner_id(interaction.user, interaction.guild_id)
    async with services.sessions() as session:
        draft = await starting_code(session, learner, slug, audience_of(interaction.guild_id))
    mention = await services.mentions.of(interaction.guild_id)
    if draft is None:
        await tell(interaction, f"There is no published task `{slug}`. Try {mention('tasks')}.")
    elif len(draft.code) > CODE_LIMIT:
        await tell(interaction, too_long(draft, mention))
    else:
        await interaction.response.send_modal(code_modal(draft))


def code_from_submission(interaction: discord.Interaction) -> tuple[str, str] | None:
    """The task slug and code of a submitted code box, or None for any other interaction."""
    if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
        return None
    custom_id = str(interaction.data.get("custom_id", ""))
    if not custom_id.startswith(MODAL_PREFIX):
        return None
    code = _field_value(interaction.data.get("components", []))
    return None if code is None else (custom_id.removeprefix(MODAL_PREFIX), code)


def _field_value(components: Any) -> str | None:
    """The code input's value, whether it arrives in an action row or a label."""
    for component in components:
        if component.get("custom_id") == CODE_FIELD_ID:
            return str(component.get("value", ""))
        children = component.get("components") or [c for c in [component.get("component")] if c]
        found = _field_value(children)
        if found is not None:
            return found
    return None
