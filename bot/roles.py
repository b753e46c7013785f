"""Achievement roles: which roles may be one, and giving them to learners.

Only roles a moderator mapped are ever given, and only cosmetic ones: a role that carries any
permission, is managed by an integration or is @everyone is refused when mapped and skipped
when it is to be given (a mapped role may gain permissions later).
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

import discord
from sqlalchemy.exc import SQLAlchemyError

from bot.moderators import report_to_moderators
from bot.services import Services
from core.guilds import earned_roles
from core.metrics import ROLE_GRANT_FAILURES
from core.submissions.outcome import SubmissionOutcome

logger = logging.getLogger(__name__)

PERMISSIONS_NAMED = 4
#: how many members a long grant handles between two progress reports
PROGRESS_EVERY = 25
#: a member's earned roles are checked again after this many seconds (per bot process)
CATCH_UP_EVERY_S = 600.0
#: members (per server) whose last check this process remembers
CATCH_UP_REMEMBERED = 10_000


#: what the roles checked here are, unless said otherwise
ACHIEVEMENT_ROLE = "an achievement role"


def _power(role: discord.Role, purpose: str = ACHIEVEMENT_ROLE) -> str | None:
    """Why `role` carries more than looks, or None for a cosmetic role."""
    if role.is_default():
        return f"@everyone cannot be {purpose}"
    if role.managed:
        return f"{role.mention} is managed by an integration; pick a role you created"
    if role.permissions.value:
        names = [name.replace("_", " ") for name, allowed in role.permissions if allowed]
        more = ", …" if len(names) > PERMISSIONS_NAMED else ""
        shown = ", ".join(names[:PERMISSIONS_NAMED]) + more
        return (
            f"{role.mention} carries permissions ({shown}); {purpose} must carry "
            "none, so pick or create a role without permissions"
        )
    return None


def unfit_reason(role: discord.Role, purpose: str = ACHIEVEMENT_ROLE) -> str | None:
    """Why `role` cannot be `purpose` (mapped to an achievement, unless said otherwise), or
    None when it can: only cosmetic roles below the bot's highest one can."""
    power = _power(role, purpose)
    if power is not None:
        return power
    me = role.guild.me
    if role >= me.top_role:
        return (
            f"{role.mention} is not below my highest role ({me.top_role.name}); move mine above it"
        )
    return None


def _why_refused(guild: discord.Guild, role: discord.Role) -> str:
    me = guild.me
    if not me.guild_permissions.manage_roles:
        return "I do not have the Manage Roles permission"
    if role >= me.top_role:
        return f"the role is not below my highest role ({me.top_role.name})"
    return "Discord refused the change"


async def member_of(guild: discord.Guild, user_id: int) -> discord.Member | None:
    """The member with this id, or None when they are not (or no longer) in the server."""
    try:
        return guild.get_member(user_id) or await guild.fetch_member(user_id)
    except discord.HTTPException:
        return None


async def give_role(member: discord.Member, role: discord.Role, reason: str) -> str | None:
    """Give `role` to `member` unless they hold it; why Discord refused, else None.

    A role that carries power is logged and skipped, never given.
    """
    power = _power(role)
    if power is not None:
        logger.warning("not granting role %s in %s: %s", role.id, role.guild.id, power)
        return None
    if role in member.roles:
        return None
    try:
        await member.add_roles(role, reason=reason)
    except discord.HTTPException as error:
        ROLE_GRANT_FAILURES.inc()
        why = _why_refused(role.guild, role)
        logger.warning("cannot grant %s in %s: %s (%s)", role.id, role.guild.id, why, error)
        return why
    return None


def _refusal_report(member: discord.Member, role: discord.Role, achievement: str, why: str) -> str:
    return (
        f"I could not give {member.mention} the role **{role.name}** for the "
        f"achievement **{achievement}**: {why}."
    )


def _problem(role: discord.Role) -> str:
    """A refused role grant as one problem, whoever the learner was."""
    return f"role {role.id}"


async def grant_roles(
    client: discord.Client,
    services: Services,
    user: discord.abc.User,
    outcome: SubmissionOutcome,
) -> list[str]:
    """Grant the mapped roles of the outcome's achievements; notes for the learner on failures.

    A refusal is reported to the server's moderators and logged; it never loses the result.
    """
    notes = []
    for achievement in outcome.achievements:
        for grant in achievement.grants:
            guild = client.get_guild(grant.guild_id)
            if guild is None:
                continue  # a server this bot process does not serve
            role = guild.get_role(grant.role_id)
            if role is None:
                logger.info("server %s: the role of %s is gone", guild.id, achievement.slug)
                continue
            member = await member_of(guild, user.id)
            if member is None:
                continue
            why = await give_role(member, role, f"Achievement unlocked: {achievement.name}")
            if why is not None:
                await report_to_moderators(
                    client,
                    services,
                    guild,
                    _problem(role),
                    _refusal_report(member, role, achievement.name, why),
                )
                notes.append(
                    f"The role **{role.name}** could not be given yet ({why}); "
                    "the moderators were told. Your achievement is saved."
                )
    return notes


class RoleCatchUp:
    """Gives a member the achievement roles they earned elsewhere (solving on the site, or in
    another server) when they next use the bot in a server, whatever they use: at most once per
    member and server every `CATCH_UP_EVERY_S` seconds in this process. A refusal is reported
    to the server's moderators like any other."""

    def __init__(
        self,
        client: discord.Client,
        services: Services,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.services = services
        self.clock = clock
        self._checked: OrderedDict[tuple[int, int], float] = OrderedDict()

    def _due(self, guild_id: int, user_id: int) -> bool:
        """True when the member was not checked lately (and counts this check)."""
        key, now = (guild_id, user_id), self.clock()
        last = self._checked.get(key)
        if last is not None and now - last < CATCH_UP_EVERY_S:
            return False
        self._checked[key] = now
        self._checked.move_to_end(key)
        if len(self._checked) > CATCH_UP_REMEMBERED:
            self._checked.popitem(last=False)
        return True

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Give the interacting member the mapped roles of achievements they hold but lack."""
        member, guild = interaction.user, interaction.guild
        if guild is None or not isinstance(member, discord.Member):
            return
        if not self._due(guild.id, member.id):
            return
        try:
            async with self.services.sessions() as session:
                earned = await earned_roles(session, guild.id, member.id)
        except (SQLAlchemyError, OSError) as error:
            logger.warning("cannot read the roles %s earned in %s: %s", member.id, guild.id, error)
            return
        for achievement, role_id in earned:
            role = guild.get_role(role_id)
            if role is None or role in member.roles:
                continue
            why = await give_role(member, role, f"Achievement unlocked: {achievement}")
            if why is not None:
                await report_to_moderators(
                    self.client,
                    self.services,
                    guild,
                    _problem(role),
                    _refusal_report(member, role, achievement, why),
                )


@dataclass
class Granting:
    """How giving one role to an achievement's holders went so far."""

    role: discord.Role
    achievement: str
    holders: int
    checked: int = 0
    granted: int = 0
    refused: str | None = None


Progress = Callable[[Granting], Awaitable[None]]


async def grant_to_holders(
    client: discord.Client,
    services: Services,
    role: discord.Role,
    achievement: str,
    holders: Sequence[int],
    progress: Progress | None = None,
) -> Granting:
    """Give `role` to the members (Discord ids) who unlocked `achievement`, one request at a
    time (discord.py waits out Discord's rate limits), calling `progress` every
    `PROGRESS_EVERY` members.

    A role that carries power is given to nobody. Stops at the first refusal, which would
    refuse everyone alike; it is reported to the moderators.
    """
    granting = Granting(role, achievement, len(holders))
    granting.refused = _power(role)
    if granting.refused is not None:
        logger.warning("not granting role %s in %s: %s", role.id, role.guild.id, granting.refused)
        return granting
    for user_id in holders:
        member = await member_of(role.guild, user_id)
        if member is not None and role not in member.roles:
            why = await give_role(member, role, f"Achievement unlocked earlier: {achievement}")
            if why is not None:
                granting.refused = why
                await report_to_moderators(
                    client,
                    services,
                    role.guild,
                    _problem(role),
                    _refusal_report(member, role, achievement, why),
                )
                return granting
            granting.granted += 1
        granting.checked += 1
        if progress is not None and granting.checked % PROGRESS_EVERY == 0:
            await progress(granting)
    return granting
