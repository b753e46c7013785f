"""A wrong answer's verdict shows where the output first differs, through the real bot on the
fake Discord: the line (token, value) with its number, both outputs around it, and whitespace
made visible when only whitespace differs; hidden tests never give any detail."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from core.models import Submission
from tests.support.bot_scene import Scene, embed_of, field_value
from tests.support.catalogue import add_task
from tests.support.fake_grader import ScriptedGrader

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROWS = 50
FIFTY_ROWS = "".join(f"row {n}\n" for n in range(1, ROWS + 1))
#: prints row 40 as "row 4O" (a letter O for the zero)
ROW_40_TYPO = (
    "for n in range(1, int(input()) + 1):\n    print('row 4O' if n == 40 else f'row {n}')\n"
)
COUNT_WITH_SPACES = "for n in range(1, int(input()) + 1):\n    print(n, end=' ')\n"
COUNT_WITH_TRAILING_SPACES = "for n in range(1, int(input()) + 1):\n    print(n, end=' \\n')\n"
TOTAL_DOUBLE_SPACE = "print('Total:  ' + input())\n"
TOKENS_WRONG = "print('1 2')\nprint('3 4 5')\n"
THIRD_CLOSE = "print(0.5, 0.34)\n"
HIDDEN_WRONG = "# prints the visible answer on every input\nprint('a')\nprint('a')\n"
HIDDEN_EXPECTED = "HIDDEN-EXPECTED-77c1"


def _count(stdin: str) -> range:
    """1 to the number read."""
    return range(1, int(stdin) + 1)


PROGRAMS = {
    COUNT_WITH_SPACES: lambda stdin: "".join(f"{n} " for n in _count(stdin)),
    COUNT_WITH_TRAILING_SPACES: lambda stdin: "".join(f"{n} \n" for n in _count(stdin)),
    TOTAL_DOUBLE_SPACE: lambda stdin: f"Total:  {stdin.strip()}\n",
    TOKENS_WRONG: lambda stdin: "1 2\n3 4 5\n",
    THIRD_CLOSE: lambda stdin: "0.5 0.34\n",
    HIDDEN_WRONG: lambda stdin: "a\na\n",
}


def _tests(visible: tuple[str, str], hidden: tuple[str, str] = ("x\n", "x\n")) -> Any:
    return [
        {"input": visible[0], "output": visible[1], "hidden": False},
        {"input": hidden[0], "output": hidden[1], "hidden": True},
    ]


@pytest_asyncio.fixture(scope="module", loop_scope="module", autouse=True)
async def tasks(scene: Scene, grader: ScriptedGrader) -> None:
    """Tasks of every comparison mode, and the programs submitted to them."""
    grader.programs = {**grader.programs, **PROGRAMS}
    await add_task(
        scene.sessions,
        "fifty-rows",
        title="Fifty rows",
        tests=_tests(("50\n", FIFTY_ROWS), ("3\n", "row 1\nrow 2\nrow 3\n")),
    )
    await add_task(
        scene.sessions,
        "count-up",
        title="Count up",
        tests=_tests(("3\n", "1\n2\n3\n"), ("2\n", "1\n2\n")),
    )
    await add_task(scene.sessions, "total", title="Total", tests=_tests(("5\n", "Total: 5\n")))
    await add_task(
        scene.sessions,
        "token-grid",
        title="Token grid",
        compare={"mode": "tokens"},
        tests=_tests(("\n", "1 2 3\n4 6\n")),
    )
    await add_task(
        scene.sessions,
        "a-third",
        title="A third",
        compare={"mode": "float", "tolerance": 0.001},
        tests=_tests(("\n", "0.5 0.333333\n")),
    )
    await add_task(
        scene.sessions,
        "secret-rows",
        title="Secret rows",
        tests=_tests(("a\n", "a\na\n"), ("b\n", f"{HIDDEN_EXPECTED}\n")),
    )


@pytest.mark.usefixtures("real_sandbox")
async def test_line_40_is_shown_with_its_number_and_the_lines_around_it(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "fifty-rows", ROW_40_TYPO)
    assert embed_of(verdict)["title"] == "❌ Wrong answer · Fifty rows"
    assert field_value(verdict, "Where it differs") == "Line 40 is the first that differs."
    expected = field_value(verdict, "Expected output")
    assert expected == (
        "```\n  38 │ row 38\n  39 │ row 39\n» 40 │ row 40\n  41 │ row 41\n  42 │ row 42\n```"
    )
    assert field_value(verdict, "Your output") == expected.replace("row 40", "row 4O")
    scene.fake.assert_no_violations()


async def test_spaces_where_lines_were_expected_are_made_visible(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "count-up", COUNT_WITH_SPACES)
    assert field_value(verdict, "Where it differs") == (
        "Line 1 is the first that differs.\n"
        "Only whitespace differs: spaces show as ·, tabs as →, line ends as ⏎."
    )
    assert field_value(verdict, "Expected output") == "```\n» 1 │ 1⏎\n  2 │ 2⏎\n  3 │ 3⏎\n```"
    assert field_value(verdict, "Your output") == "```\n» 1 │ 1·2·3⏎\n```"
    scene.fake.assert_no_violations()


async def test_a_doubled_space_inside_a_line_is_made_visible(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "total", TOTAL_DOUBLE_SPACE)
    assert "Only whitespace differs" in field_value(verdict, "Where it differs")
    assert field_value(verdict, "Expected output") == "```\n» 1 │ Total:·5⏎\n```"
    assert field_value(verdict, "Your output") == "```\n» 1 │ Total:··5⏎\n```"


async def test_trailing_spaces_alone_are_accepted(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "count-up", COUNT_WITH_TRAILING_SPACES)
    assert embed_of(verdict)["title"] == "✅ Accepted · Count up"


async def test_tokens_mode_names_the_first_differing_token(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "token-grid", TOKENS_WRONG)
    assert field_value(verdict, "Where it differs") == (
        "Token 5 (line 2 of your output) differs: expected `` 6 ``, got `` 5 ``."
    )
    assert field_value(verdict, "Expected output") == "```\n  1 │ 1 2 3\n» 2 │ 4 6\n```"
    assert field_value(verdict, "Your output") == "```\n  1 │ 1 2\n» 2 │ 3 4 5\n```"


async def test_float_mode_names_the_first_value_out_of_tolerance(scene: Scene) -> None:
    verdict = await scene.submit_modal(scene.learner(), "a-third", THIRD_CLOSE)
    assert field_value(verdict, "Where it differs") == (
        "Value 2 (line 1 of your output) differs: expected `` 0.333333 ``, got `` 0.34 ``. "
        "Numbers may differ by 0.001."
    )


async def test_a_failing_hidden_test_gives_no_detail(scene: Scene) -> None:
    learner = scene.learner()
    verdict = await scene.submit_modal(learner, "secret-rows", HIDDEN_WRONG)
    embed = embed_of(verdict)
    assert embed["title"] == "❌ Wrong answer · Secret rows"
    names = [f["name"] for f in embed["fields"]]
    assert "Hidden test failed" in names
    assert not {"Where it differs", "Expected output", "Your output"} & set(names)
    assert HIDDEN_EXPECTED not in str(embed)
    async with scene.sessions() as session:
        results = await session.scalar(
            select(Submission.results).order_by(Submission.id.desc()).limit(1)
        )
    assert results is not None
    assert "difference" not in results[1]
    assert HIDDEN_EXPECTED not in str(results)
