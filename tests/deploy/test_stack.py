"""The production stack: compose.yaml is valid, and both images build here from Debian packages.

No image registry answers here, so the images build on bases made with debootstrap; the app's
base also trusts this machine's certificate authorities, so pip can reach the package index.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sandbox.config import SandboxConfig
from sandbox.image import ensure_offline_base
from sandbox.pool import connect
from tests.support.databases import run_in_own_loop

ROOT = Path(__file__).parents[2]
APP_BASE = "codestreak-app-base:bookworm"
APP_BASE_WITH_CA = "codestreak-app-base:local-ca"
APP_IMAGE = "codestreak:test"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")


def _run(*command: str, cwd: Path = ROOT, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_compose_file_is_valid(tmp_path: Path) -> None:
    for name in ("compose.yaml", "Dockerfile", ".env.example"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "sandbox").symlink_to(ROOT / "sandbox")
    (tmp_path / ".env").write_text("MYSQL_PASSWORD=secret\nSECRET_KEY=" + "k" * 40 + "\n")
    result = _run("docker-compose", "-f", "compose.yaml", "config", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "mysql:8.4" in result.stdout
    assert "service_healthy" in result.stdout
    assert "privileged" not in result.stdout


def test_compose_refuses_to_start_without_a_database_password(tmp_path: Path) -> None:
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    (tmp_path / "sandbox").symlink_to(ROOT / "sandbox")
    (tmp_path / ".env").write_text("SECRET_KEY=x\n")
    result = _run("docker-compose", "-f", "compose.yaml", "config", cwd=tmp_path)
    assert result.returncode != 0
    assert "set MYSQL_PASSWORD in .env" in result.stderr


@pytest.mark.docker
def test_sandbox_image_builds_and_runs_unprivileged(sandbox_image: str) -> None:
    result = _run("docker", "run", "--rm", "--network", "none", sandbox_image, "id", "-u")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "10001"


async def _app_base() -> None:
    docker = await connect(SandboxConfig())
    try:
        await ensure_offline_base(
            docker, APP_BASE, packages=("python3", "python3-venv", "ca-certificates")
        )
    finally:
        await docker.close()


@pytest.mark.docker
def test_application_image_builds_and_runs(tmp_path: Path) -> None:
    run_in_own_loop(_app_base())
    context = tmp_path / "base"
    context.mkdir()
    shutil.copy(HOST_CA, context / "ca.crt")
    (context / "Dockerfile").write_text(
        f"FROM {APP_BASE}\nCOPY ca.crt /usr/local/share/ca-certificates/local.crt\n"
        "RUN update-ca-certificates\nENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt\n"
    )
    base = _run("docker", "build", "-q", "-t", APP_BASE_WITH_CA, str(context))
    assert base.returncode == 0, base.stderr
    build = _run(
        "docker", "build", "--network", "host", "--build-arg", f"BASE={APP_BASE_WITH_CA}",
        "-t", APP_IMAGE, ".",
    )  # fmt: skip
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    user = _run("docker", "run", "--rm", "--entrypoint", "id", APP_IMAGE, "-u")
    assert user.stdout.strip() == "10000"
    usage = _run("docker", "run", "--rm", APP_IMAGE, "--help")
    assert usage.returncode == 0, usage.stderr
    for command in ("run", "web", "bot", "db", "content", "grade"):
        assert command in usage.stdout
    content = _run("docker", "run", "--rm", APP_IMAGE, "content", "check")
    assert content.returncode == 0, content.stderr
    assert "All content is valid." in content.stdout
