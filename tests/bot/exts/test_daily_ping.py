"""The ping role: `/mod ping-role` sets, creates or clears it; the daily post pings it (and
nothing else) and carries a button that gives or takes it back, on old posts and after a
restart; what the bot cannot do is said, to the learner and to the moderators."""

from __future__ import annotations

from datetime import UTC, datetime

from core.daily_pings import PING_ROLE_NAME
from core.db import session_scope
from core.guilds import set_mod_log_channel
from tests.fakediscord import FakeMember, FakeMessage
from tests.fakediscord.permissions import BOT_DEFAULT, MANAGE_GUILD, MANAGE_ROLES
from tests.support.bot_scene import bot_on, embed_of
from tests.support.daily_world import World, run_check
from tests.support.fake_grader import ScriptedGrader

BEFORE_POSTING = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
AFTER_POSTING = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


def moderator_of(world: World) -> FakeMember:
    """A member who may use /mod."""
    mods = world.fake.add_role(world.guild, "Mods", permissions=MANAGE_GUILD)
    return world.fake.add_member(world.guild, "mod-ada", roles=[mods])


async def answer(world: World, member: FakeMember, name: str, **options: object) -> str:
    """The private answer to a slash command."""
    record = await world.fake.send_slash(world.channel, member, name, options)
    reply = await record.wait_for_response()
    assert reply.ephemeral
    return reply.content


async def press(world: World, post: FakeMessage, member: FakeMember) -> str:
    """The private answer to the ping button of `post`."""
    record = await world.fake.click_button(post, f"codestreak:ping:{world.guild.id}", member)
    reply = await record.wait_for_response()
    assert reply.ephemeral
    return reply.content


async def test_a_created_ping_role_is_pinged_alone_by_the_daily_post(world: World) -> None:
    moderator = moderator_of(world)
    world.clock.now = BEFORE_POSTING
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        created = await answer(world, moderator, "mod ping-role", create=True)
        role = world.guild.role_named(PING_ROLE_NAME)
        assert (role.mentionable, role.permissions) == (True, 0)
        assert created.startswith(f"The daily post will ping <@&{role.id}>.")
        again = await answer(world, moderator, "mod ping-role", create=True)
        assert again.startswith(f"The ping role is already <@&{role.id}>.")
        both = await answer(world, moderator, "mod ping-role", create=True, role=role)
        assert both == "Give a role or `create:True`, not both."
        world.clock.now = AFTER_POSTING
        await run_check(bot)
        (post,) = world.posts()
        settings = await world.fake.send_slash(world.channel, moderator, "mod settings")
        shown = embed_of(await settings.wait_for_response())
    assert post.content.endswith(f"\n🔔 <@&{role.id}>")
    assert post.mention_roles == [role.id]  # pinged, and nothing else
    assert post.custom_ids() == [f"codestreak:ping:{world.guild.id}"]
    ping_field = next(f for f in shown["fields"] if f["name"] == "Ping role")
    assert ping_field["value"].startswith(f"<@&{role.id}>")
    assert len(world.guild.roles) == 4  # @everyone, the bot's, Mods and the one created
    world.fake.assert_no_violations()


async def test_the_button_gives_and_takes_back_the_role_after_a_restart(world: World) -> None:
    moderator = moderator_of(world)
    role = world.fake.add_role(world.guild, "Pings", mentionable=True)
    world.clock.now = BEFORE_POSTING
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        await answer(world, moderator, "mod ping-role", role=role)
        world.clock.now = AFTER_POSTING
        await run_check(bot)
        (post,) = world.posts()
    learner = world.fake.add_member(world.guild, "lin")
    async with bot_on(world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock):
        given = await press(world, post, learner)
        assert given.startswith(f"🔔 Done: you will be pinged (<@&{role.id}>)")
        assert world.guild.members[learner.user.id].role_ids == [role.id]
        taken = await press(world, post, learner)
        assert taken == f"🔕 Done: you will no longer be pinged (<@&{role.id}>)."
        assert world.guild.members[learner.user.id].role_ids == []
    world.fake.assert_no_violations()


async def test_unfit_roles_are_refused_and_a_role_the_bot_cannot_give_is_reported(
    world: World,
) -> None:
    moderator = moderator_of(world)
    log = world.fake.add_text_channel(world.guild, "mod-log")
    async with session_scope(world.sessions) as session:
        await set_mod_log_channel(session, world.guild.id, log.id)
    powerful = world.fake.add_role(world.guild, "Helpers", permissions=MANAGE_GUILD)
    high = world.fake.add_role(
        world.guild, "High", position=world.fake.bot_top_role(world.guild).position + 1
    )
    role = world.fake.add_role(world.guild, "Pings", mentionable=True)
    learner = world.fake.add_member(world.guild, "lin")
    world.clock.now = BEFORE_POSTING
    async with bot_on(
        world.fake, world.guild, world.sessions, ScriptedGrader(), clock=world.clock
    ) as bot:
        refused = await answer(world, moderator, "mod ping-role", role=powerful)
        assert refused.startswith(f"I cannot give out <@&{powerful.id}> as ping role: ")
        assert "carries permissions (manage guild); the ping role must carry none" in refused
        above = await answer(world, moderator, "mod ping-role", role=high)
        assert "is not below my highest role" in above
        await answer(world, moderator, "mod ping-role", role=role)
        world.clock.now = AFTER_POSTING
        await run_check(bot)
        (post,) = world.posts()

        bot_role = world.fake.bot_top_role(world.guild)
        world.fake.set_role_permissions(world.guild, bot_role, BOT_DEFAULT & ~MANAGE_ROLES)
        seen = bot.get_guild(world.guild.id)
        assert seen is not None
        await world.fake.wait_until(
            lambda: True if not seen.me.guild_permissions.manage_roles else None,
            what="the bot to see its role change",
        )
        cannot = await press(world, post, learner)
        assert cannot == (
            "I cannot change your roles right now: I do not have the Manage Roles permission. "
            "The moderators were told."
        )
        report = await world.fake.wait_for_bot_message(log)
        assert "Members cannot take the ping role **Pings**" in report.content
        assert world.guild.members[learner.user.id].role_ids == []

        cleared = await answer(world, moderator, "mod ping-role")
        assert cleared == "The daily post pings nobody now, and shows no ping button."
        none = await press(world, post, learner)
        assert none.startswith("This server has no ping role for the daily challenge yet.")
    world.fake.assert_no_violations()
