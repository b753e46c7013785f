"""The verdict a submission is stored with: the sandbox's verdict, or pending while graded."""

from __future__ import annotations

from enum import StrEnum

from sandbox import Verdict


class SubmissionVerdict(StrEnum):
    """A recorded submission's verdict: pending until graded, then the sandbox's verdict."""

    PENDING = "pending"
    ACCEPTED = Verdict.ACCEPTED.value
    WRONG_ANSWER = Verdict.WRONG_ANSWER.value
    RUNTIME_ERROR = Verdict.RUNTIME_ERROR.value
    TIME_LIMIT = Verdict.TIME_LIMIT.value
    MEMORY_LIMIT = Verdict.MEMORY_LIMIT.value
    OUTPUT_LIMIT = Verdict.OUTPUT_LIMIT.value
    SYNTAX_ERROR = Verdict.SYNTAX_ERROR.value
    SANDBOX_ERROR = Verdict.SANDBOX_ERROR.value

    @classmethod
    def of(cls, verdict: Verdict) -> SubmissionVerdict:
        """The stored form of a graded verdict."""
        return cls(verdict.value)
