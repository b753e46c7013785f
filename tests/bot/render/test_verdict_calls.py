"""A call task through the real bot on the fake Discord, graded in the real sandbox: a wrong
return value is shown as the calls with what each should give and what it gave; a hidden call
test gives no detail; the stored results keep the calls readable."""

from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import select

from core.models import Submission
from tests.support.bot_scene import Scene, embed_of, field_value
from tests.support.catalogue import add_task
from tests.support.content_factories import call_task_document

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("real_sandbox")]

HIDDEN_EXPECTED = 987654321
RIGHT = "def add(a, b=0):\n    return a + b\n"
SUBTRACTS = "def add(a, b=0):\n    print('debugging')\n    return a - b\n"
#: right on the visible tests, wrong on the hidden one
SMALL_ONLY = "def add(a, b=0):\n    return a + b if a < 1000 else 0\n"


@pytest_asyncio.fixture(scope="module", loop_scope="module", autouse=True)
async def call_task(scene: Scene) -> None:
    """The call task `add` with a hidden test whose expected value must stay secret."""
    document = call_task_document()
    document["tests"][2] = {
        "steps": [{"args": [HIDDEN_EXPECTED - 1], "kwargs": {"b": 1}, "returns": HIDDEN_EXPECTED}],
        "hidden": True,
    }
    await add_task(
        scene.sessions, "add-numbers", **{k: document[k] for k in document if k != "slug"}
    )


async def test_a_right_function_is_accepted(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "add-numbers", RIGHT)
    assert embed_of(verdict)["title"] == "✅ Accepted · Add numbers"


async def test_a_wrong_return_value_shows_the_call_and_both_values(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "add-numbers", SUBTRACTS)
    assert embed_of(verdict)["title"] == "❌ Wrong answer · Add numbers"
    assert field_value(verdict, "Test 1 calls") == "```\nadd(2, 3)\n```"
    assert field_value(verdict, "Where it differs") == (
        "Call 1 (marked ») gave a different result: expected `` 5 ``, got `` -1 ``."
    )
    assert field_value(verdict, "Expected results") == "```\n» 1 │ add(2, 3)  → 5\n```"
    assert field_value(verdict, "What your code gave") == "```\n» 1 │ add(2, 3)  → -1\n```"
    scene.fake.assert_no_violations()


async def test_a_failing_hidden_call_test_gives_no_detail(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "add-numbers", SMALL_ONLY)
    embed = embed_of(verdict)
    assert embed["title"] == "❌ Wrong answer · Add numbers"
    names = [f["name"] for f in embed["fields"]]
    assert "Hidden test failed" in names
    assert str(HIDDEN_EXPECTED) not in str(embed)
    async with scene.sessions() as session:
        results = await session.scalar(
            select(Submission.results).order_by(Submission.id.desc()).limit(1)
        )
    assert results is not None
    assert results[0]["input"] == "add(2, 3)"
    assert results[0]["expected"] == "5"
    assert "input" not in results[2]
    assert str(HIDDEN_EXPECTED) not in str(results)
