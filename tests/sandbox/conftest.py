"""Fixtures for the sandbox tests: a live pool on the image built from the current sources."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest_asyncio

from sandbox import SandboxPool
from tests.support.sandbox import HOST_SECRET, make_config


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def pool(sandbox_image: str) -> AsyncIterator[SandboxPool]:
    """A started pool shared by one test module; a secret sits in the host's environment."""
    os.environ["CODESTREAK_SANDBOX_TEST_SECRET"] = HOST_SECRET
    sandbox = SandboxPool(make_config(sandbox_image))
    await sandbox.start()
    await sandbox.wait_ready()
    yield sandbox
    await sandbox.close()
    del os.environ["CODESTREAK_SANDBOX_TEST_SECRET"]
