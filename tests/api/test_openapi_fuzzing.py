"""The JSON API fuzzed by schemathesis from its own OpenAPI document, served over real HTTP.

Every operation the document lists is tested (so operations added later are fuzzed too), with
all checks and the examples, coverage, fuzzing and stateful phases, on seeded data, within a
time budget per backend. Any failure fails the test with schemathesis's report.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api.app import create_app
from core.settings import Settings
from tests.support.live_site import LiveSite
from tests.support.mailbox import free_port
from tests.support.public_data import seed_public_data

SCHEMATHESIS = Path(sys.executable).parent / "st"
#: the whole run's budget; fuzzing and stateful testing repeat until it is spent
MAX_TIME_S = 45
MAX_EXAMPLES = 50
SEED = 20261127
PHASES = "examples,coverage,fuzzing,stateful"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _operations(document: dict[str, Any]) -> int:
    return sum(
        1 for item in document["paths"].values() for method in item if method in HTTP_METHODS
    )


async def _fuzz(url: str, folder: Path) -> tuple[int, str, dict[str, Any]]:
    """Run schemathesis against `url`: its exit code, output and JSON report."""
    report = folder / "schemathesis.json"
    process = await asyncio.create_subprocess_exec(
        str(SCHEMATHESIS),
        "run",
        f"{url}/api/openapi.json",
        "--checks=all",
        f"--phases={PHASES}",
        f"--max-examples={MAX_EXAMPLES}",
        f"--max-time={MAX_TIME_S}",
        f"--seed={SEED}",
        "--request-timeout=10",
        "--report=json",
        f"--report-json-path={report}",
        cwd=folder,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=MAX_TIME_S + 60)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace"), json.loads(report.read_text())


async def test_schemathesis_finds_nothing(
    site_settings: Settings, db: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await seed_public_data(db)
    # the fuzzer's requests all come from one address: the limit itself has its own test
    settings = site_settings.model_copy(update={"api_rate_limit": "1000000/minute"})
    site = LiveSite(create_app(settings), free_port())
    site.start()
    try:
        async with httpx.AsyncClient() as client:
            document = (await client.get(f"{site.url}/api/openapi.json")).json()
        status, output, report = await _fuzz(site.url, tmp_path)
    finally:
        site.stop()
    assert status == 0, output
    operations = report["operations"]
    assert operations["tested"] == operations["selected"] == _operations(document) >= 12
    # how many fit in the budget depends on the machine's load: at least a few per operation
    assert report["test_cases"]["generated"] >= 20 * operations["tested"], output
    print(
        f"schemathesis: {report['test_cases']['generated']} cases over "
        f"{operations['tested']} operations, no failure"
    )
