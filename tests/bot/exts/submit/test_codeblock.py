"""Finding the code and the task named in a learner's message."""

from __future__ import annotations

from bot.exts.submit import first_code_block, named_task

TASKS = [("sum-of-digits", "Sum of digits"), ("sum", "Sum"), ("caesar-wheel", "Caesar wheel")]


def test_first_python_or_plain_block_is_taken() -> None:
    text = "look\n```json\n{}\n```\n```python\nprint(1)\n```\n```\nprint(2)\n```"
    assert first_code_block(text) == "print(1)\n"
    assert first_code_block("```\nprint(2)\n```") == "print(2)\n"
    assert first_code_block("```py\nx = 1\n```") == "x = 1\n"
    assert first_code_block("no code") is None
    assert first_code_block("`inline` only") is None


def test_task_named_in_the_prose_longest_name_wins() -> None:
    assert named_task("my Sum of digits attempt\n```\nsum-of-digits\n```", TASKS) == (
        "sum-of-digits"
    )
    assert named_task("caesar-wheel:\n```python\nprint()\n```", TASKS) == "caesar-wheel"
    assert named_task("here:\n```python\n# caesar-wheel\n```", TASKS) is None
    assert named_task("summary of my day", TASKS) is None
