"""`codestreak bot` as an operator starts it, where no Discord is needed to tell."""

from __future__ import annotations

from pathlib import Path

from tests.support.cli_runner import codestreak


def test_without_a_token_the_bot_exits_with_code_2_before_touching_the_database(
    tmp_path: Path,
) -> None:
    result = codestreak(
        "bot",
        cwd=tmp_path,
        env={"DISCORD_TOKEN": "", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/bot.db"},
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "bot.db").exists()
