"""Finding the code and the task named in a learner's message, typed the way people type."""

from __future__ import annotations

from bot.exts.submit import first_code_block, named_task
from bot.exts.submit._codeblock import INLINE_TAG_HINT, LOOKALIKE_HINT, UNCLOSED_HINT, FoundCode

TASKS = [("sum-of-digits", "Sum of digits"), ("sum", "Sum"), ("caesar-wheel", "Caesar wheel")]


def test_first_python_or_plain_block_is_taken() -> None:
    text = "look\n```json\n{}\n```\n```python\nprint(1)\n```\n```\nprint(2)\n```"
    assert first_code_block(text) == FoundCode("print(1)\n")
    assert first_code_block("```\nprint(2)\n```") == FoundCode("print(2)\n")
    assert first_code_block("```py\nx = 1\n```") == FoundCode("x = 1\n")
    assert first_code_block("no code") is None
    assert first_code_block("`inline` only") is None


def test_any_language_tag_and_windows_line_ends() -> None:
    assert first_code_block("```Python3\r\nx = 1\r\n```") == FoundCode("x = 1\n")
    assert first_code_block("```pycon\n>>> 1\n```") == FoundCode(">>> 1\n")
    assert first_code_block("```js\nprint(3)\n```") == FoundCode("print(3)\n")


def test_one_line_blocks() -> None:
    assert first_code_block("```print(input())```") == FoundCode("print(input())\n")
    assert first_code_block("```py print(1)```") == FoundCode("print(1)\n", INLINE_TAG_HINT)
    assert first_code_block("```python  x = 2 ```") == FoundCode("x = 2\n", INLINE_TAG_HINT)


def test_lookalike_ticks_are_recognised_with_a_hint() -> None:
    for tick in "´‘’'ˋ｀":
        fence = tick * 3
        assert first_code_block(f"{fence}python\nprint(1)\n{fence}") == FoundCode(
            "print(1)\n", LOOKALIKE_HINT
        )
    # a docstring inside a real block is code, not a fence
    assert first_code_block("```\n'''doc'''\n```") == FoundCode("'''doc'''\n")


def test_unclosed_block_takes_the_rest_with_a_hint() -> None:
    assert first_code_block("mine:\n```python\nprint(1)\n") == FoundCode(
        "print(1)\n", UNCLOSED_HINT
    )
    assert first_code_block("```python\n") is None


def test_task_named_in_the_prose_longest_name_wins() -> None:
    assert named_task("my Sum of digits attempt\n```\nsum-of-digits\n```", TASKS) == (
        "sum-of-digits"
    )
    assert named_task("caesar-wheel:\n```python\nprint()\n```", TASKS) == "caesar-wheel"
    assert named_task("here:\n```python\n# caesar-wheel\n```", TASKS) is None
    assert named_task("summary of my day", TASKS) is None
