"""`/profile` (and the learner's own time zone), `/leaderboard`, `/link` and `/export`."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.choices import CHOICE_LIMIT, labelled_choices
from bot.render.people import leaderboard_embed, profile_embed, zone_change_text
from bot.replies import tell
from core.accounts.discord_link import issue_link_url
from core.db import session_scope
from core.leaderboards import Period, rank_of, top
from core.privacy import export_learner
from core.profiles import load_profile
from core.timezones import SERVER_ZONE, UnknownZone, zone_choices
from core.zone_changes import change_zone

if TYPE_CHECKING:
    from bot.client import CodestreakBot

LEADERBOARD_SIZE = 10
EXPORT_LIMIT_BYTES = 8 * 1024 * 1024
LINK_BUTTON_URL_LIMIT = 512
#: the picker's entry for following the server's zone again
SERVER_ZONE_CHOICE = app_commands.Choice(
    name="server (follow this server's time zone)", value=SERVER_ZONE
)


class AccountCog(commands.Cog):
    """Profiles, leaderboards, the website link and the data export."""

    def __init__(self, bot: CodestreakBot) -> None:
        self.bot = bot
        self.services = bot.services

    @app_commands.command(
        name="profile", description="Points, streak, solves and achievements; set your time zone."
    )
    @app_commands.describe(
        member="Whose profile (yours when empty)",
        timezone="Your own time zone for streak days, e.g. Europe/Berlin (server: the server's)",
    )
    async def profile(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        timezone: str | None = None,
    ) -> None:
        """Show a learner's profile publicly, or set the invoker's own time zone privately."""
        if timezone is not None:
            await self._set_timezone(interaction, member, timezone)
            return
        await interaction.response.defer(thinking=True)
        target: discord.abc.User = member or interaction.user
        learner = await self.services.learner_id(target, interaction.guild_id)
        async with self.services.sessions() as session:
            found = await load_profile(session, learner, now=self.services.clock())
        assert found is not None
        own = target.id == interaction.user.id
        await interaction.followup.send(embed=profile_embed(found, target.display_name, own=own))

    async def _set_timezone(
        self, interaction: discord.Interaction, member: discord.Member | None, timezone: str
    ) -> None:
        """Change the invoker's own zone (rationed), answering privately with their new day."""
        if member is not None and member.id != interaction.user.id:
            await tell(interaction, "You can set your own time zone only; leave `member` empty.")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        now = self.services.clock()
        try:
            async with session_scope(self.services.sessions) as session:
                change = await change_zone(
                    session, learner, timezone, guild_id=interaction.guild_id, now=now
                )
        except UnknownZone as error:
            await tell(interaction, f"{error} Nothing was changed.")
            return
        await interaction.followup.send(zone_change_text(change, now), ephemeral=True)

    @profile.autocomplete("timezone")
    async def _timezone_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """IANA zone names matching what was typed, with the server's zone offered first."""
        server = SERVER_ZONE.startswith(current.strip().lower())
        zones = zone_choices(current, CHOICE_LIMIT - server)
        return [SERVER_ZONE_CHOICE] * server + [app_commands.Choice(name=z, value=z) for z in zones]

    @app_commands.command(name="leaderboard", description="The best learners, here or everywhere.")
    @app_commands.describe(scope="This server or everyone", period="What to rank by")
    @app_commands.choices(period=labelled_choices(Period))
    async def leaderboard(
        self,
        interaction: discord.Interaction,
        scope: Literal["server", "global"] = "server",
        period: str = Period.ALL,
    ) -> None:
        """Show the top learners and the invoker's own place."""
        await interaction.response.defer(thinking=True)
        guild_id = interaction.guild_id if scope == "server" else None
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        now = self.services.clock()
        async with self.services.sessions() as session:
            ranked = Period(period)
            entries = await top(session, ranked, guild_id, LEADERBOARD_SIZE, now=now)
            mine = await rank_of(session, learner, ranked, guild_id, now=now)
        shown_scope = "this server" if guild_id is not None else "everyone"
        await interaction.followup.send(embed=leaderboard_embed(entries, mine, shown_scope, ranked))

    @app_commands.command(
        name="link", description="Attach this Discord account to your website account."
    )
    async def link(self, interaction: discord.Interaction) -> None:
        """A private, signed link to the website, valid for 15 minutes and usable once."""
        url = issue_link_url(self.services.settings, interaction.user.id, interaction.user.name)
        view = discord.ui.View()
        if len(url) <= LINK_BUTTON_URL_LIMIT:
            view.add_item(discord.ui.Button(label="Link my account", url=url))
        await interaction.response.send_message(
            "Open this link within 15 minutes to attach your Discord account to your website "
            f"account (it works once; log in or register there first):\n{url}",
            view=view,
            ephemeral=True,
        )

    @app_commands.command(name="export", description="Everything stored about you, as a JSON file.")
    async def export(self, interaction: discord.Interaction) -> None:
        """The learner's data as a private JSON file; deletion is on the website."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        learner = await self.services.learner_id(interaction.user, interaction.guild_id)
        async with self.services.sessions() as session:
            data = await export_learner(session, learner)
        raw = json.dumps(data, ensure_ascii=False, indent=2).encode()
        site = self.services.settings.site_url.rstrip("/")
        if len(raw) > EXPORT_LIMIT_BYTES:
            await tell(
                interaction, f"Your data is too large for Discord; download it at {site}/account."
            )
            return
        link = (await self.services.mentions.of(interaction.guild_id))("link")
        await interaction.followup.send(
            f"Here is everything stored about you. To delete it, link your account with {link} "
            f"and use {site}/account/delete.",
            file=discord.File(io.BytesIO(raw), filename="codestreak-export.json"),
            ephemeral=True,
        )
