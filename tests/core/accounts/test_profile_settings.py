"""Display-name changes follow registration's rules; a public profile needs a name that leads
to it alone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.accounts.identity import FormProblem
from core.accounts.profile_settings import change_display_name, set_profile_public
from core.models import User
from tests.support.databases import Sessions


async def _learners(sessions: Sessions, *names: str) -> list[int]:
    async with sessions() as session:
        learners = [User(display_name=name) for name in names]
        session.add_all(learners)
        await session.commit()
        return [learner.id for learner in learners]


async def _change(sessions: Sessions, user_id: int, name: str) -> str:
    async with sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        changed = await change_display_name(session, user, name)
        await session.commit()
        return changed


async def _publish(sessions: Sessions, user_id: int, public: bool = True) -> None:
    async with sessions() as session:
        user = await session.get(User, user_id)
        assert user is not None
        await set_profile_public(session, user, public)
        await session.commit()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("a", "Use 2 to 32 characters."),
        ("a/b", "Use letters, digits, spaces and punctuation except /."),
        ("learner 12", "Names like “Learner 42” are kept for private profiles."),
        ("GRACE", "This display name is taken; choose another one."),
    ],
)
async def test_a_display_name_is_refused_as_registration_refuses_it(
    sessions: Sessions, typed: str, message: str
) -> None:
    ada, _ = await _learners(sessions, "ada", "grace")
    with pytest.raises(FormProblem) as refused:
        await _change(sessions, ada, typed)
    assert (refused.value.field, refused.value.message) == ("display_name", message)


async def test_a_display_name_is_tidied_and_may_change_only_its_case(sessions: Sessions) -> None:
    (ada,) = await _learners(sessions, "ada")
    assert await _change(sessions, ada, "  Ada   Lovelace ") == "Ada Lovelace"
    assert await _change(sessions, ada, "ada lovelace") == "ada lovelace"


async def test_opting_in_needs_a_name_no_other_public_profile_shows(sessions: Sessions) -> None:
    first, second, slashed = await _learners(sessions, "ada", "ADA", "ada/discord")
    await _publish(sessions, first)
    with pytest.raises(FormProblem, match="Another public profile already shows this name"):
        await _publish(sessions, second)
    with pytest.raises(FormProblem, match="Choose a display name first"):
        await _publish(sessions, slashed)
    await _publish(sessions, first, public=False)
    await _publish(sessions, second)
    async with sessions() as session:
        rows = await session.execute(select(User.id, User.profile_public).order_by(User.id))
    assert dict(rows.all()) == {
        first: False,
        second: True,
        slashed: False,
    }
