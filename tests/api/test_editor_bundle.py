"""The committed editor bundle (api/static/editor.js) was built from web/editor as it is now."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "web" / "editor"
BUNDLE = ROOT / "api" / "static" / "editor.js"
HEADER = re.compile(r"^/\* codestreak editor, .* sources sha256 ([0-9a-f]{64}) \*/$")


def test_the_bundle_matches_its_locked_sources() -> None:
    header = BUNDLE.read_text(encoding="utf-8").partition("\n")[0]
    found = HEADER.match(header)
    assert found, f"{BUNDLE} has no header naming its sources; run scripts/build-editor.sh"
    sources = (SOURCES / "package-lock.json").read_bytes() + (SOURCES / "editor.js").read_bytes()
    assert found.group(1) == hashlib.sha256(sources).hexdigest(), (
        "web/editor changed since api/static/editor.js was built: run scripts/build-editor.sh "
        "and commit the bundle"
    )


async def test_the_site_serves_the_bundle_under_its_own_content_policy(
    client: httpx.AsyncClient,
) -> None:
    served = await client.get("/static/editor.js")
    assert served.status_code == 200
    assert served.headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert served.content == BUNDLE.read_bytes()
    assert "script-src 'self'" in served.headers["content-security-policy"]
