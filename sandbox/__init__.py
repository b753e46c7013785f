"""Runs untrusted Python against test cases in isolated, single-use Docker containers."""

from sandbox.compare import CompareMode, Comparison
from sandbox.config import RunLimits, SandboxConfig
from sandbox.difference import Difference, DiffUnit, Excerpt, visible_whitespace
from sandbox.errors import (
    DockerUnavailable,
    ImageMissing,
    InvalidSubmission,
    SandboxBusy,
    SandboxError,
)
from sandbox.pool import SandboxPool
from sandbox.result import (
    GradeResult,
    Outcome,
    RunResult,
    TestCase,
    TestResult,
    TestRun,
    Verdict,
)

__all__ = [
    "CompareMode",
    "Comparison",
    "DiffUnit",
    "Difference",
    "DockerUnavailable",
    "Excerpt",
    "GradeResult",
    "ImageMissing",
    "InvalidSubmission",
    "Outcome",
    "RunLimits",
    "RunResult",
    "SandboxBusy",
    "SandboxConfig",
    "SandboxError",
    "SandboxPool",
    "TestCase",
    "TestResult",
    "TestRun",
    "Verdict",
    "visible_whitespace",
]
