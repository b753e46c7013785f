"""A small real discord.py bot whose commands exercise (and deliberately break) Discord's rules,
and the scene its tests run it in."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from tests.fakediscord import FakeChannel, FakeDiscord, FakeGuild, FakeMember


class CodeModal(discord.ui.Modal, title="Submit your code"):
    """A one-field modal; the submission is answered with the code's length."""

    code: discord.ui.TextInput[CodeModal] = discord.ui.TextInput(
        label="Code", style=discord.TextStyle.paragraph, max_length=4000
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Answer ephemerally with the number of characters received."""
        await interaction.response.send_message(f"got {len(self.code.value)} chars", ephemeral=True)


class OversizedModal(discord.ui.Modal, title="A title that is far too long for any Discord modal"):
    """A modal whose title breaks the 45-character limit."""

    answer: discord.ui.TextInput[OversizedModal] = discord.ui.TextInput(label="Answer")


class MenuView(discord.ui.View):
    """A button that updates its message and a select that answers with the choice."""

    @discord.ui.button(label="Press", custom_id="press")
    async def press(self, interaction: discord.Interaction, _: discord.ui.Button[MenuView]) -> None:
        """Replace the message content (callback type 7)."""
        await interaction.response.edit_message(content="pressed", view=None)

    @discord.ui.select(
        custom_id="pick",
        options=[
            discord.SelectOption(label="Easy", value="easy"),
            discord.SelectOption(label="Hard", value="hard"),
        ],
    )
    async def pick(
        self, interaction: discord.Interaction, select: discord.ui.Select[MenuView]
    ) -> None:
        """Answer with the chosen value."""
        await interaction.response.send_message(f"picked {select.values[0]}")


class SampleBot(commands.Bot):
    """Registers its commands for one guild on startup and notes the errors it met."""

    def __init__(self, guild_id: int, *, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix="!",
            intents=intents or discord.Intents.default(),
            guild_ready_timeout=0.1,
        )
        self.guild = discord.Object(guild_id)
        self.slow_s = 0.0
        self.outcomes: list[str] = []

    async def setup_hook(self) -> None:
        """Define the commands and sync them to the guild."""
        for command in _commands(self):
            self.tree.add_command(command, guild=self.guild)
        self.tree.add_command(_task_group(), guild=self.guild)
        self.tree.add_command(
            app_commands.ContextMenu(name="Submit code", callback=_submit_code), guild=self.guild
        )
        self.tree.add_command(
            app_commands.ContextMenu(name="View profile", callback=_view_profile),
            guild=self.guild,
        )
        await self.tree.sync(guild=self.guild)


def _commands(bot: SampleBot) -> list[app_commands.Command[Any, ..., None]]:
    @app_commands.command(name="ping", description="Answer pong.")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    @app_commands.command(name="work", description="Defer, then follow up.")
    async def work(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(bot.slow_s)
        await interaction.followup.send("work done")
        await interaction.followup.send("second note")

    @app_commands.command(name="submit", description="Open the code modal.")
    async def submit(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(CodeModal())

    @app_commands.command(name="badmodal", description="Open a modal that breaks the limits.")
    async def badmodal(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_modal(OversizedModal())
        except discord.HTTPException as error:
            bot.outcomes.append(f"modal refused: {error.code}")

    @app_commands.command(name="shout", description="Send a message that is too long.")
    async def shout(interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_message("A" * 2001)
        except discord.HTTPException as error:
            bot.outcomes.append(f"shout refused: {error.code}")

    @app_commands.command(name="slow", description="Answer after bot.slow_s seconds.")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(bot.slow_s)
        try:
            await interaction.response.send_message("finally")
        except discord.NotFound as error:
            bot.outcomes.append(f"slow refused: {error.code}")

    @app_commands.command(name="early", description="Follow up before acknowledging.")
    async def early(interaction: discord.Interaction) -> None:
        try:
            await interaction.followup.send("too early")
        except discord.NotFound as error:
            bot.outcomes.append(f"early refused: {error.code}")
        await interaction.response.send_message("acknowledged")

    @app_commands.command(name="grant", description="Give a member a role.")
    async def grant(
        interaction: discord.Interaction, member: discord.Member, role: discord.Role
    ) -> None:
        await interaction.response.defer(ephemeral=True)
        try:
            await member.add_roles(role)
        except discord.Forbidden:
            await interaction.followup.send(f"cannot grant {role.name}")
        else:
            await interaction.followup.send(f"granted {role.name}")

    @app_commands.command(name="upload", description="Echo an uploaded file.")
    async def upload(interaction: discord.Interaction, file: discord.Attachment) -> None:
        text = (await file.read()).decode()
        await interaction.response.send_message(
            f"{file.filename}: {text}", file=discord.File(io.BytesIO(text.encode()), "echo.py")
        )

    @app_commands.command(name="menu", description="Show a button and a select.")
    async def menu(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("choose", view=MenuView())

    @app_commands.command(name="find", description="Autocomplete a task name.")
    async def find(interaction: discord.Interaction, task: str) -> None:
        await interaction.response.send_message(f"found {task}")

    @find.autocomplete("task")
    async def find_task(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        names = ["sum-of-digits", "caesar-wheel", "collatz-countdown"]
        return [app_commands.Choice(name=n, value=n) for n in names if current in n]

    @app_commands.command(name="announce", description="Post in the channel and open a thread.")
    async def announce(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True)
        assert isinstance(interaction.channel, discord.TextChannel)
        message = await interaction.channel.send("Daily challenge!")
        thread = await message.create_thread(name="Daily discussion")
        await thread.send("Discuss here")
        await interaction.followup.send("posted")

    return [ping, work, submit, badmodal, shout, slow, early, grant, upload, menu, find, announce]


def _task_group() -> app_commands.Group:
    mod = app_commands.Group(name="mod", description="Moderator tools.")
    task = app_commands.Group(name="task", description="Manage tasks.", parent=mod)

    @task.command(name="publish", description="Publish a task.")
    async def publish(interaction: discord.Interaction, slug: str, daily: bool = False) -> None:
        await interaction.response.send_message(f"published {slug} daily={daily}", ephemeral=True)

    return mod


async def _submit_code(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"code from {message.author.name}: {message.content}")


async def _view_profile(interaction: discord.Interaction, member: discord.Member) -> None:
    await interaction.response.send_message(f"profile of {member.name}", ephemeral=True)


@dataclass
class Scene:
    """The fake, its guild, a channel, a learner, and the connected sample bot."""

    fake: FakeDiscord
    guild: FakeGuild
    channel: FakeChannel
    learner: FakeMember
    bot: SampleBot
