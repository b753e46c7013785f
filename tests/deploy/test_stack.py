"""The production stack: compose.yaml is valid and scaled out as documented, and both images
build here from Debian packages.

No image registry answers here, so the images build on bases made with debootstrap; the app's
base also trusts this machine's certificate authorities, so pip can reach the package index.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]  # no stubs in the locked dependencies

from sandbox.config import SandboxConfig
from sandbox.image import ensure_offline_base
from sandbox.pool import connect
from tests.support.databases import run_in_own_loop

ROOT = Path(__file__).parents[2]
APP_BASE = "codestreak-app-base:bookworm"
APP_BASE_WITH_CA = "codestreak-app-base:local-ca"
APP_IMAGE = "codestreak:test"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")
PASSWORDS = "MYSQL_PASSWORD=secret\nREDIS_PASSWORD=redis-secret\n"


def _run(*command: str, cwd: Path = ROOT, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


def _compose_config(tmp_path: Path, env: str) -> subprocess.CompletedProcess[str]:
    for name in ("compose.yaml", "Dockerfile", ".env.example"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "sandbox").symlink_to(ROOT / "sandbox")
    (tmp_path / ".env").write_text(env)
    return _run("docker-compose", "-f", "compose.yaml", "config", cwd=tmp_path)


def test_compose_file_is_valid(tmp_path: Path) -> None:
    result = _compose_config(tmp_path, PASSWORDS + "SECRET_KEY=" + "k" * 40 + "\n")
    assert result.returncode == 0, result.stderr
    assert "mysql:8.4" in result.stdout
    assert "privileged" not in result.stdout
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == {
        *("db", "redis", "sandbox-image", "migrate", "web-1", "web-2", "bot", "grader"),
        *("app", "docker-proxy"),
    }
    assert services["app"]["profiles"] == ["single"]
    assert services["docker-proxy"]["profiles"] == ["proxy"]
    assert "healthcheck" in services["redis"]
    assert services["migrate"]["command"] == ["migrate"]


def test_compose_replicas_wait_for_migrate_and_only_the_grader_reaches_docker(
    tmp_path: Path,
) -> None:
    result = _compose_config(tmp_path, PASSWORDS + "SECRET_KEY=" + "k" * 40 + "\n")
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("web-1", "web-2", "bot"):
        service = services[name]
        assert service["environment"]["MIGRATE_ON_START"] == "false"
        assert service["environment"]["GRADING_MODE"] == "queue"
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["depends_on"]["redis"] == {"condition": "service_healthy"}
        assert "volumes" not in service  # no Docker socket
    assert {services[n]["ports"][0] for n in ("web-1", "web-2")} == {
        "127.0.0.1:8000:8000/tcp",
        "127.0.0.1:8001:8000/tcp",
    }
    grader = services["grader"]
    assert grader["command"] == ["grader"]
    assert grader["volumes"] == ["/var/run/docker.sock:/var/run/docker.sock:rw"]
    assert grader["environment"]["REDIS_URL"] == "redis://:redis-secret@redis:6379/0"
    assert not {"DATABASE_URL", "SECRET_KEY", "DISCORD_TOKEN", "MYSQL_PASSWORD"} & set(
        grader["environment"]
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ("REDIS_PASSWORD=x\nSECRET_KEY=x\n", "set MYSQL_PASSWORD in .env"),
        ("MYSQL_PASSWORD=x\nSECRET_KEY=x\n", "set REDIS_PASSWORD in .env"),
    ],
)
def test_compose_refuses_to_start_without_a_password(
    env: str, complaint: str, tmp_path: Path
) -> None:
    result = _compose_config(tmp_path, env)
    assert result.returncode != 0
    assert complaint in result.stderr


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
    for command in ("run", "web", "bot", "grader", "migrate", "db", "content", "grade"):
        assert command in usage.stdout
    content = _run("docker", "run", "--rm", APP_IMAGE, "content", "check")
    assert content.returncode == 0, content.stderr
    assert "All content is valid." in content.stdout
