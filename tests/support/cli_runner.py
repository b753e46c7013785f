"""Running the real `codestreak` command in a subprocess, as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CODESTREAK = str(Path(sys.executable).with_name("codestreak"))


def codestreak(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `codestreak ARGS` in `cwd` with extra environment variables; never raises on failure."""
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [CODESTREAK, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
