"""The code box of `/submit` and "Edit & resubmit": the learner's last code, else the template.

discord.py forgets a modal when its view times out or the bot restarts, and then drops the
submission unanswered: the learner's typed code is lost. So the box is sent as a plain form
(no view waiting for it) whose custom id names the task, and any submission of it is graded by
`code_from_submission` whenever it comes.

Below the code, a checkbox asks whether the solution may be shared once accepted (the day's
recap, the site), ticked as the learner chose last time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import discord

from bot.command_mentions import Mentions
from bot.exts.submit._attachments import HOW_TO_ATTACH
from bot.render.text import clip
from bot.replies import tell
from bot.services import Services
from core.catalog import audience_of
from core.learners import known_learner
from core.sharing import shares_by_default
from core.submissions.drafts import Draft, starting_code

MODAL_TITLE_LIMIT = 45
CODE_LIMIT = 4000
CODE_FIELD_ID = "code"
SHARE_FIELD_ID = "share"
SHARE_LABEL = "Share my accepted solution"
SHARE_DESCRIPTION = "Others may see it after the day (in its thread and on the site)."
#: custom ids of code boxes: the prefix, then the task's slug
MODAL_PREFIX = "codestreak:code:"


@dataclass(frozen=True, slots=True)
class CodeBox:
    """What a submitted code box holds."""

    slug: str
    code: str
    #: the learner agreed that others may see the code once accepted
    shared: bool


def code_modal(draft: Draft, share: bool = False) -> discord.ui.Modal:
    """The code box for `draft`'s task, filled with its code, its share box ticked when
    `share`; sent detached (see the module)."""
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
    modal.add_item(
        discord.ui.Label(
            text=SHARE_LABEL,
            description=SHARE_DESCRIPTION,
            component=discord.ui.Checkbox(custom_id=SHARE_FIELD_ID, default=share),
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


async def open_code_modal(
    services: Services,
    interaction: discord.Interaction,
    slug: str,
    share: bool | None = None,
) -> None:
    """Answer `interaction` with the code box of task `slug`, or say why there is none; its
    share box is ticked as `share` says, else as the learner chose last time."""
    # reads only: a code box cannot be deferred, so it must show within Discord's 3 seconds
    # even when many learners open one at once; the learner is created when they submit
    async with services.sessions() as session:
        learner = await known_learner(session, interaction.user.id)
        draft = await starting_code(session, learner, slug, audience_of(interaction.guild_id))
        if share is None:
            share = learner is not None and await shares_by_default(session, learner)
    mention = await services.mentions.of(interaction.guild_id)
    if draft is None:
        await tell(interaction, f"There is no published task `{slug}`. Try {mention('tasks')}.")
    elif len(draft.code) > CODE_LIMIT:
        await tell(interaction, too_long(draft, mention))
    else:
        await interaction.response.send_modal(code_modal(draft, share))


def code_from_submission(interaction: discord.Interaction) -> CodeBox | None:
    """What a submitted code box holds, or None for any other interaction. A box without the
    share checkbox (sent before it existed) shares nothing."""
    if interaction.type is not discord.InteractionType.modal_submit or interaction.data is None:
        return None
    custom_id = str(interaction.data.get("custom_id", ""))
    if not custom_id.startswith(MODAL_PREFIX):
        return None
    components = interaction.data.get("components", [])
    code = _field_value(components, CODE_FIELD_ID)
    if code is None:
        return None
    shared = _field_value(components, SHARE_FIELD_ID) is True
    return CodeBox(custom_id.removeprefix(MODAL_PREFIX), str(code), shared)


def _field_value(components: Any, custom_id: str) -> Any:
    """The value of the input `custom_id`, whether it arrives in an action row or a label."""
    for component in components:
        if component.get("custom_id") == custom_id:
            return component.get("value", "")
        children = component.get("components") or [c for c in [component.get("component")] if c]
        found = _field_value(children, custom_id)
        if found is not None:
            return found
    return None
