"""The sandbox as the application configures it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from core.settings import Settings
from sandbox import (
    CompareMode,
    Comparison,
    GradeResult,
    RunLimits,
    SandboxConfig,
    SandboxPool,
    TestCase,
)
from sandbox.metrics import watch_pool


def task_comparison(mode: CompareMode, tolerance: float | None) -> Comparison:
    """How a task's outputs are compared: its mode, with its tolerance or the sandbox's default
    when it has none."""
    return Comparison(mode=mode, tolerance=tolerance or Comparison().tolerance)


class Grader(Protocol):
    """Grades code against test cases: the sandbox pool, or a stand-in in unit tests."""

    async def grade(
        self,
        code: str,
        cases: Sequence[TestCase],
        comparison: Comparison | None = None,
        limits: RunLimits | None = None,
        *,
        job_id: str | None = None,
    ) -> GradeResult:
        """Run the code on every case and compare outputs outside the sandbox.

        `job_id` names the grading (a submission's); a grader that queues work uses it so that
        one grading is never queued twice. Graders that run at once ignore it.
        """
        ...


def sandbox_config(settings: Settings) -> SandboxConfig:
    """Sandbox configuration from the application's settings."""
    return SandboxConfig(
        docker_url=settings.sandbox_docker_url,
        image=settings.sandbox_image,
        pool_name=settings.sandbox_pool_name,
        pool_size=settings.sandbox_pool_size,
        max_concurrent=settings.sandbox_max_concurrent,
        queue_size=settings.sandbox_queue_size,
        memory_mb=settings.sandbox_memory_mb,
        pids_limit=settings.sandbox_pids,
        cpus=settings.sandbox_cpus,
        max_time_s=settings.sandbox_max_time_s,
        stdout_limit_bytes=settings.sandbox_stdout_limit_bytes,
        max_code_bytes=settings.max_code_bytes,
    )


def sandbox_pool(settings: Settings) -> SandboxPool:
    """A (not yet started) sandbox pool configured from the settings: the process's pool, whose
    ready containers the metrics report."""
    pool = SandboxPool(sandbox_config(settings))
    watch_pool(pool)
    return pool
