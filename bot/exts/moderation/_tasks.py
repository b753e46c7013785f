"""`/mod task-add`, `task-publish`, `task-unpublish` and `preview`: the tasks a server curates.

A home server's moderators curate the shared catalogue; any other server's moderators only
that server's own tasks, and every other task is "not found" for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession

from bot.choices import CHOICE_LIMIT
from bot.exts.moderation._access import moderators_only
from bot.exts.moderation._base import ModeratorCommands, catalogue_name
from bot.render.tasks import task_embed
from bot.render.text import CONTENT_LIMIT, clip
from bot.replies import tell
from core.catalog import TaskDetail, owned_task_choices, task_detail_by_id
from core.content.intake import import_task_document
from core.content.loader import ContentError
from core.designer.lifecycle import Status, find_task, is_validated, status_of
from core.guilds import set_task_published

TASK_FILE_LIMIT = 512 * 1024
TASK_OPTION = "The task's slug (published or not)"
STATUS_NOTES = {
    Status.DRAFT: "a draft: learners do not see it until you publish it",
    Status.UNPUBLISHED: "unpublished: learners do not see it until you publish it again",
    Status.PUBLISHED: "published: learners see it like this",
}


@dataclass(frozen=True, slots=True)
class Preview:
    """A task as learners will see it, with what only its curators see."""

    detail: TaskDetail
    status: Status
    version: int
    validated: bool


class TaskCommands(ModeratorCommands):
    """Adding, publishing and previewing the tasks this server curates."""

    @app_commands.command(name="task-add", description="Add or update a task from a JSON file.")
    @app_commands.describe(file="The task as JSON (see the task format)")
    async def task_add(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """Validate a task file, prove it in the sandbox, and save it to this server's
        catalogue."""
        if file.size > TASK_FILE_LIMIT:
            await tell(interaction, f"The file is too large (limit {TASK_FILE_LIMIT // 1024} KB).")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        raw = await file.read()
        grader = self.services.grader
        owner = self.owner_of(interaction)
        moderator = await self.services.learner_id(interaction.user, interaction.guild_id)
        try:
            imported = await self.change(
                interaction,
                lambda session: import_task_document(
                    session, grader, raw, file.filename, saved_by=moderator, owner=owner
                ),
            )
        except ContentError as error:
            problems = "\n".join(f"• {problem}" for problem in error.problems)
            await tell(interaction, clip(f"The task was not saved:\n{problems}", CONTENT_LIMIT))
            return
        task = imported.task
        action = "Added" if imported.created else "Updated" if imported.changed else "Unchanged:"
        publish = (await self.services.mentions.of(interaction.guild_id))("mod task-publish")
        state = "published" if task.published else f"not published (use {publish})"
        await tell(
            interaction,
            f"{action} **{task.title}** (`{task.slug}`) in {catalogue_name(owner)}, {state}. "
            f"The reference solution passes all {len(task.tests)} tests and the tests catch "
            f"all {len(task.wrong_solutions)} wrong solutions.",
        )

    @app_commands.command(name="task-publish", description="Let learners see and solve a task.")
    @app_commands.describe(task=TASK_OPTION)
    async def task_publish(self, interaction: discord.Interaction, task: str) -> None:
        """Publish a task of this server's catalogue."""
        await self._publish(interaction, task, True)

    @app_commands.command(name="task-unpublish", description="Hide a task from learners.")
    @app_commands.describe(task=TASK_OPTION)
    async def task_unpublish(self, interaction: discord.Interaction, task: str) -> None:
        """Unpublish a task of this server's catalogue."""
        await self._publish(interaction, task, False)

    async def _publish(self, interaction: discord.Interaction, slug: str, published: bool) -> None:
        owner = self.owner_of(interaction)
        moderator = await self.services.learner_id(interaction.user, interaction.guild_id)
        changed = await self.attempt(
            interaction,
            lambda session: set_task_published(session, slug, published, moderator, owner),
        )
        if changed is not None:
            state = "published" if published else "unpublished"
            await tell(interaction, f"**{changed.title}** (`{changed.slug}`) is {state}.")

    @app_commands.command(name="preview", description="See a task as learners will see it.")
    @app_commands.describe(task="The task's slug (drafts included)")
    async def preview(self, interaction: discord.Interaction, task: str) -> None:
        """Show a task of this server's catalogue, drafts included, only to the moderator."""
        owner = self.owner_of(interaction)

        async def look(session: AsyncSession) -> Preview | None:
            found = await find_task(session, task, owner)
            detail = await task_detail_by_id(session, found.id) if found else None
            if found is None or detail is None:
                return None
            return Preview(detail, status_of(found), found.version, is_validated(found))

        shown = await self.change(interaction, look)
        if shown is None:
            await tell(interaction, f"There is no task '{task}'. Check the name in the task list.")
            return
        validated = "passed validation" if shown.validated else "not validated yet"
        await interaction.response.send_message(
            f"Preview of `{shown.detail.slug}`, version {shown.version} ({validated}): "
            f"{STATUS_NOTES[shown.status]}.",
            embed=task_embed(
                shown.detail,
                self.services.settings.site_url,
                await self.services.mentions.of(interaction.guild_id),
                heading=f"Preview ({shown.status})",
            ),
            ephemeral=True,
        )

    @task_publish.autocomplete("task")
    @task_unpublish.autocomplete("task")
    @preview.autocomplete("task")
    @moderators_only
    async def _owned_task_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        async with self.services.sessions() as session:
            found = await owned_task_choices(
                session, self.owner_of(interaction), current, CHOICE_LIMIT
            )
        return [
            app_commands.Choice(
                name=clip(f"{title} ({slug}){'' if published else ' · not published'}", 100),
                value=slug,
            )
            for slug, title, published in found
        ]
