"""`codestreak db revision` writes the next numbered migration (here into temporary folders)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, String, Table

import migrations
from cli.revisions import write_revision
from core.models import Base
from tests.support.cli_runner import codestreak

VERSIONS = Path(migrations.__file__).parent / "versions"


def _numbers() -> list[int]:
    return sorted(int(path.name[:4]) for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


@pytest.fixture(autouse=True)
def _versions_untouched() -> Iterator[None]:
    """Whatever a test does, it leaves no file in migrations/versions."""
    before = sorted(VERSIONS.iterdir())
    yield
    assert sorted(VERSIONS.iterdir()) == before


@pytest.fixture
def probe_table() -> Iterator[Table]:
    """A table the models have and the migrations do not, for as long as the test runs."""
    table = Table(
        "revision_probe",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("label", String(40), nullable=False),
    )
    yield table
    Base.metadata.remove(table)


def test_an_empty_revision_follows_the_newest_one(tmp_path: Path) -> None:
    out = tmp_path / "versions"
    result = codestreak(
        "db", "revision", "-m", "Add widgets, v2!", "--versions-dir", str(out), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    head = _numbers()[-1]
    written = out / f"{head + 1:04d}_add_widgets_v2.py"
    assert [path.name for path in out.glob("*.py")] == [written.name]
    assert f"Wrote {written}" in result.stdout
    text = written.read_text()
    assert text.startswith('"""Add widgets, v2!')
    assert f'revision: str = "{head + 1:04d}"' in text
    assert f'down_revision: str | None = "{head:04d}"' in text
    assert "from alembic import op" in text  # kept for the author to fill in


def test_autogenerate_writes_what_the_models_add(tmp_path: Path, probe_table: Table) -> None:
    written = write_revision("revision probe", autogenerate=True, versions_dir=tmp_path)
    assert written is not None
    assert written.name == f"{_numbers()[-1] + 1:04d}_revision_probe.py"
    text = written.read_text()
    assert 'op.create_table(\n        "revision_probe",' in text
    assert 'sa.Column("label", sa.String(length=40), nullable=False)' in text
    assert 'op.drop_table("revision_probe")' in text


def test_autogenerate_writes_nothing_when_models_and_migrations_agree(tmp_path: Path) -> None:
    out = tmp_path / "versions"
    result = codestreak(
        "db",
        "revision",
        "-m",
        "nothing",
        "--autogenerate",
        "--versions-dir",
        str(out),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "The models and the migrations agree: nothing to write." in result.stderr
    assert not out.exists() or not list(out.glob("*.py"))


def test_the_configured_database_must_be_at_head(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/behind.db"}
    args = ("db", "revision", "-m", "x", "--autogenerate", "--configured-db")
    result = codestreak(*args, "--versions-dir", str(tmp_path / "versions"), cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert "No revision written: Target database is not up to date." in result.stderr
    assert "`codestreak db upgrade` brings sqlite+aiosqlite:///" in result.stderr
    assert "Traceback" not in result.stderr
