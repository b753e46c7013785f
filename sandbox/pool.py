"""The pool of pre-started single-use containers and the public run/grade API."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from types import TracebackType

import aiodocker
import aiohttp
from aiodocker.containers import DockerContainer

from sandbox.compare import CompareMode, Comparison
from sandbox.config import RunLimits, SandboxConfig
from sandbox.container import INSTANCE_LABEL, LABEL, POOL_LABEL, Exchange, SandboxContainer
from sandbox.errors import (
    DockerUnavailable,
    ImageMissing,
    InvalidSubmission,
    SandboxBusy,
    SandboxError,
    is_engine_unreachable,
)
from sandbox.grader import grade_run
from sandbox.protocol import INLINE_WORK_BYTES, ProtocolError, encode_request, parse_payload
from sandbox.result import GradeResult, RunResult, TestCase, Verdict

logger = logging.getLogger(__name__)

RETRY_DELAYS_S = (0.2, 0.5, 1.0, 2.0, 5.0)


def engine_url(config: SandboxConfig) -> str:
    """The engine URL to use: the configured one, DOCKER_HOST, or the local socket."""
    return config.docker_url or os.environ.get("DOCKER_HOST") or "unix:///var/run/docker.sock"


async def connect(config: SandboxConfig) -> aiodocker.Docker:
    """Open a client to the engine and check that it answers; DockerUnavailable otherwise."""
    url = engine_url(config)
    try:
        docker = aiodocker.Docker(url=url)
    except ValueError as error:
        raise DockerUnavailable(url, error) from error
    try:
        await docker.version()
    except (aiohttp.ClientError, OSError, aiodocker.DockerError) as error:
        await docker.close()
        raise DockerUnavailable(url, error) from error
    return docker


async def _labelled(docker: aiodocker.Docker, label: str) -> list[DockerContainer]:
    return list(await docker.containers.list(all=True, filters=json.dumps({"label": [label]})))


async def _remove(containers: Sequence[DockerContainer]) -> int:
    """Force-remove `containers`; return how many."""
    results = await asyncio.gather(
        *(container.delete(force=True) for container in containers), return_exceptions=True
    )
    for result in results:
        if isinstance(result, Exception):
            logger.warning("could not remove a sandbox container: %s", result)
    return len(containers)


async def remove_labelled(docker: aiodocker.Docker, label: str) -> int:
    """Force-remove every container carrying `label` (key=value); return how many."""
    return await _remove(await _labelled(docker, label))


async def remove_stale(docker: aiodocker.Docker, older_than_s: float) -> int:
    """Force-remove sandbox containers of any pool created more than `older_than_s` ago.

    Ages are measured on the engine's clock, so a host whose clock is off reaps nothing live.
    """
    now = datetime.fromisoformat((await docker.system.info())["SystemTime"]).timestamp()
    containers = await _labelled(docker, f"{LABEL}=1")
    return await _remove([c for c in containers if now - c["Created"] > older_than_s])


class SandboxPool:
    """Runs untrusted Python in pre-started, single-use, isolated containers.

    One container serves one submission (all its tests) and is then removed in the
    background while a filler keeps `pool_size` containers ready. At most `max_concurrent`
    submissions run at once and at most `queue_size` wait; beyond that `SandboxBusy` is raised.
    """

    def __init__(self, config: SandboxConfig | None = None) -> None:
        self.config = config or SandboxConfig()
        self.instance = secrets.token_hex(8)
        self._docker: aiodocker.Docker | None = None
        #: ready containers with the monotonic time their creation began
        self._ready: asyncio.Queue[tuple[float, SandboxContainer]] = asyncio.Queue()
        self._free_places = asyncio.Semaphore(self.config.pool_size)
        self._slots = asyncio.Semaphore(self.config.max_concurrent)
        self._waiting = 0
        self._fillers: list[asyncio.Task[None]] = []
        self._background: set[asyncio.Task[None]] = set()
        self._starting: set[asyncio.Task[SandboxContainer]] = set()
        self._fill_error: BaseException | None = None
        self._closed = False

    @property
    def labels(self) -> dict[str, str]:
        """Labels of every container of this pool."""
        return {LABEL: "1", POOL_LABEL: self.config.pool_name, INSTANCE_LABEL: self.instance}

    @property
    def ready_count(self) -> int:
        """Containers started and waiting for a submission."""
        return self._ready.qsize()

    async def engine_reachable(self, timeout_s: float = 2.0) -> bool:
        """Tell whether the Docker engine answers now (for readiness checks)."""
        if self._docker is None or self._closed:
            return False
        try:
            async with asyncio.timeout(timeout_s):
                await self._docker.version()
        except (aiodocker.DockerError, aiohttp.ClientError, OSError, TimeoutError):
            return False
        return True

    async def start(self) -> None:
        """Connect, check the image, remove containers left by an earlier run, start filling.

        Left over are this pool name's containers and any pool's older than `stale_age_s`.
        """
        if self._docker is not None:
            raise RuntimeError("the sandbox pool is already started")
        docker = await connect(self.config)
        try:
            try:
                await docker.images.inspect(self.config.image)
            except aiodocker.DockerError as error:
                if error.status == 404:
                    raise ImageMissing(self.config.image) from error
                raise
            stale = await remove_labelled(docker, f"{POOL_LABEL}={self.config.pool_name}")
            stale += await remove_stale(docker, self.config.stale_age_s)
            if stale:
                logger.info("removed %d stale sandbox containers", stale)
        except BaseException:
            await docker.close()
            raise
        self._docker = docker
        self._fillers = [
            asyncio.create_task(self._fill(), name=f"sandbox-fill-{n}")
            for n in range(self.config.fill_concurrency)
        ]
        self._fillers.append(asyncio.create_task(self._recycle(), name="sandbox-recycle"))

    async def wait_ready(self, count: int | None = None, timeout_s: float = 60.0) -> None:
        """Wait until `count` containers (default: the pool size) are ready."""
        wanted = self.config.pool_size if count is None else count
        async with asyncio.timeout(timeout_s):
            while self._ready.qsize() < wanted:
                self._raise_if_engine_down()
                await asyncio.sleep(0.02)

    async def close(self) -> None:
        """Stop filling and remove every container of this pool."""
        if self._closed:
            return
        self._closed = True
        for task in self._fillers:
            task.cancel()
        await asyncio.gather(*self._fillers, return_exceptions=True)
        for started in await asyncio.gather(*self._starting, return_exceptions=True):
            if isinstance(started, SandboxContainer):
                self._discard(started)
        while not self._ready.empty():
            self._discard(self._ready.get_nowait()[1])
        await asyncio.gather(*self._background, return_exceptions=True)
        if self._docker is not None:
            try:
                await remove_labelled(self._docker, f"{INSTANCE_LABEL}={self.instance}")
            except (aiodocker.DockerError, aiohttp.ClientError, OSError) as error:
                logger.warning("could not list sandbox containers at close: %s", error)
            await self._docker.close()

    async def __aenter__(self) -> SandboxPool:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Run `code` on every case and compare outputs on the host (now: `job_id`, which names
        the grading for queues, is not needed here).

        Raises SandboxBusy when the queue is full, DockerUnavailable when the engine is down
        (also when it stops answering during the run) and InvalidSubmission for unacceptable
        input; every other failure is a verdict.
        """
        if not cases:
            raise InvalidSubmission("a submission needs at least one test case")
        # Visible tests run first: whatever a program might carry from one test to the next
        # can then never flow from a hidden test into output a learner sees.
        order = sorted(range(len(cases)), key=lambda index: cases[index].hidden)
        ordered = [cases[index] for index in order]
        comparison = comparison or Comparison()
        calls = comparison.mode is CompareMode.CALL
        run = await self.run(code, [case.input for case in ordered], limits, calls=calls)
        if sum(len(test.stdout) for test in run.tests) <= INLINE_WORK_BYTES:
            graded = grade_run(run, ordered, comparison)
        else:  # comparing megabytes of output takes a while: not on the event loop
            graded = await asyncio.to_thread(grade_run, run, ordered, comparison)
        return graded.in_case_order(order)

    async def run(
        self,
        code: str,
        inputs: Sequence[str],
        limits: RunLimits | None = None,
        *,
        calls: bool = False,
    ) -> RunResult:
        """Execute `code` once per input in one fresh container; no comparison. With `calls`
        each input is a script of calls (`sandbox.calls`) instead of stdin."""
        self._validate(code, inputs)
        effective = self.config.effective_limits(limits or RunLimits())
        nonce = secrets.token_hex(16)
        request = encode_request(nonce, code, list(inputs), effective, self.config, calls)
        deadline_s = self.config.deadline_s(len(inputs), effective.time_s)
        async with self._slot():
            container = await self._take()
            started = time.monotonic()
            try:
                exchange = await container.exchange(
                    request, nonce, deadline_s, self.config.response_limit_bytes(len(inputs))
                )
            finally:
                self._discard(container)
        time_ms = round((time.monotonic() - started) * 1000, 3)
        if exchange.payload is None:
            assert exchange.failure is not None
            await self._check_engine(exchange)
            if exchange.failure is Verdict.SANDBOX_ERROR:
                logger.error("sandbox failure: %s", exchange.message)
            return RunResult(
                tests=(), aborted=exchange.failure, message=exchange.message, time_ms=time_ms
            )
        try:
            return parse_payload(exchange.payload, time_ms)
        except ProtocolError as error:
            logger.error("sandbox failure: %s", error)
            return RunResult(
                tests=(), aborted=Verdict.SANDBOX_ERROR, message=str(error), time_ms=time_ms
            )

    def _validate(self, code: str, inputs: Sequence[str]) -> None:
        """Refuse submissions beyond the configured sizes with a clear message."""
        if self._docker is None or self._closed:
            raise RuntimeError("the sandbox pool is not running: call start() first")
        if isinstance(inputs, str):
            raise InvalidSubmission("inputs must be a sequence of strings, not one string")
        code_size = len(code.encode("utf-8", "surrogatepass"))
        if code_size > self.config.max_code_bytes:
            raise InvalidSubmission(
                f"the code has {code_size} bytes; at most {self.config.max_code_bytes} are allowed"
            )
        if len(inputs) > self.config.max_tests:
            raise InvalidSubmission(
                f"{len(inputs)} inputs given; at most {self.config.max_tests} are allowed"
            )
        input_size = sum(len(text.encode("utf-8", "surrogatepass")) for text in inputs)
        if input_size > self.config.max_input_bytes:
            raise InvalidSubmission(
                f"the inputs have {input_size} bytes; at most {self.config.max_input_bytes} "
                "are allowed"
            )

    @contextlib.asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        """Hold one of the `max_concurrent` slots; SandboxBusy when too many already wait."""
        if self._slots.locked() and self._waiting >= self.config.queue_size:
            raise SandboxBusy(
                f"the sandbox is busy: {self.config.max_concurrent} submissions are running and "
                f"{self._waiting} are waiting; try again in a few seconds"
            )
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        try:
            yield
        finally:
            self._slots.release()

    async def _take(self) -> SandboxContainer:
        """Take a ready container, waiting for the filler if needed."""
        deadline = time.monotonic() + self.config.acquire_timeout_s
        while True:
            with contextlib.suppress(asyncio.QueueEmpty):
                _, container = self._ready.get_nowait()
                self._free_places.release()
                return container
            self._raise_if_engine_down()
            left = deadline - time.monotonic()
            if left <= 0:
                raise SandboxError(
                    "no sandbox container became ready in time"
                    + (f"; last error: {self._fill_error}" if self._fill_error else "")
                )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(left, 0.25)):
                    _, container = await self._ready.get()
                    self._free_places.release()
                    return container

    async def _check_engine(self, exchange: Exchange) -> None:
        """Raise DockerUnavailable when a run without response coincides with an engine that no
        longer answers: the engine failed (its connections dropped or hung), not the program."""
        if not await self.engine_reachable():
            raise DockerUnavailable(
                engine_url(self.config), f"it stopped answering during a run: {exchange.message}"
            )

    def _raise_if_engine_down(self) -> None:
        """Raise DockerUnavailable when the filler found the engine unreachable."""
        if self._fill_error is not None and is_engine_unreachable(self._fill_error):
            raise DockerUnavailable(engine_url(self.config), self._fill_error)

    async def _fill(self) -> None:
        """Keep the pool full: start a container whenever a place is free."""
        assert self._docker is not None
        failures = 0
        while True:
            await self._free_places.acquire()
            begun = time.monotonic()
            # shielded: a container being created when the pool closes is still removed
            starting = asyncio.create_task(
                SandboxContainer.start(self._docker, self.config, self.labels)
            )
            self._starting.add(starting)  # close() collects it if this filler is cancelled
            try:
                container = await asyncio.shield(starting)
            except Exception as error:
                self._starting.discard(starting)
                self._free_places.release()
                self._fill_error = error
                delay = RETRY_DELAYS_S[min(failures, len(RETRY_DELAYS_S) - 1)]
                failures += 1
                logger.warning(
                    "could not start a sandbox container (retry in %gs): %s", delay, error
                )
                await asyncio.sleep(delay)
                continue
            self._starting.discard(starting)
            failures = 0
            self._fill_error = None
            if self._closed:
                self._discard(container)
                return
            self._ready.put_nowait((begun, container))

    async def _recycle(self) -> None:
        """Replace ready containers idle for `idle_limit_s`, long before they could look stale
        to another process's start (it removes any pool's containers older than `stale_age_s`)."""
        limit = self.config.idle_limit_s
        while True:
            await asyncio.sleep(limit / 4)
            now = time.monotonic()
            for _ in range(self._ready.qsize()):
                begun, container = self._ready.get_nowait()
                if now - begun < limit:
                    self._ready.put_nowait((begun, container))
                else:
                    self._discard(container)
                    self._free_places.release()

    def _discard(self, container: SandboxContainer) -> None:
        """Remove a used container in the background."""
        task = asyncio.create_task(container.discard(), name=f"sandbox-discard-{container.id[:12]}")
        self._background.add(task)
        task.add_done_callback(self._background.discard)
