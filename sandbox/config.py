"""Settings of the sandbox: where the engine is, which image, the pool and every isolation limit."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.loader import ERROR_LIMIT

MIB = 1024 * 1024
#: seconds the host allows each test beyond its time limit (start-up, transfer)
PER_TEST_OVERHEAD_S = 0.5
#: the least age at which containers of other pools count as left over by a crash
DEFAULT_STALE_AGE_S = 3600.0


class RunLimits(BaseModel):
    """Limits of one task: wall-clock seconds per test and memory in MiB.

    The container limits of `SandboxConfig` are the ceiling: larger values are lowered to them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_s: float = Field(default=2.0, gt=0, le=60)
    memory_mb: int = Field(default=64, ge=8, le=4096)


class SandboxConfig(BaseModel):
    """Everything the sandbox needs to run: engine, image, pool sizes and isolation limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    docker_url: str | None = Field(
        default=None,
        description="Docker engine URL (unix:// or tcp://); None: DOCKER_HOST or the local socket.",
    )
    image: str = "codestreak-sandbox:latest"
    pool_name: str = Field(
        default="codestreak",
        pattern=r"^[a-zA-Z0-9_.-]{1,40}$",
        description="Labels this pool's containers; containers left with this name are removed "
        "at start (those of any pool once older than stale_after_s), so processes sharing one "
        "engine need distinct names.",
    )

    # pool and back-pressure
    pool_size: int = Field(default=4, ge=1, le=256, description="containers kept ready")
    max_concurrent: int = Field(default=4, ge=1, le=256, description="submissions run at once")
    queue_size: int = Field(
        default=64, ge=0, le=10_000, description="submissions that may wait for a free slot"
    )
    fill_concurrency: int = Field(default=2, ge=1, le=32, description="containers started at once")
    acquire_timeout_s: float = Field(default=30.0, gt=0)

    # container isolation
    memory_mb: int = Field(default=64, ge=16, le=65_536, description="memory = memory+swap")
    pids_limit: int = Field(default=64, ge=8, le=4096)
    cpus: float = Field(default=0.5, gt=0, le=64)
    tmp_size_mb: int = Field(default=16, ge=1, le=1024)
    shm_size_kb: int = Field(default=1024, ge=64, le=65_536)
    fsize_mb: int = Field(default=16, ge=1, le=1024, description="largest file a program may write")
    nofile: int = Field(default=64, ge=16, le=4096)
    user: str = "10001:10001"

    # per-run caps
    max_time_s: float = Field(default=10.0, gt=0, le=60, description="ceiling of RunLimits.time_s")
    stdout_limit_bytes: int = Field(default=1 * MIB, ge=1024, le=64 * MIB)
    stderr_limit_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * MIB)
    total_output_limit_bytes: int = Field(
        default=4 * MIB, ge=1024, le=256 * MIB, description="stdout+stderr of all tests together"
    )
    max_code_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * MIB)
    max_tests: int = Field(default=200, ge=1, le=10_000)
    max_input_bytes: int = Field(default=16 * MIB, ge=1024, le=256 * MIB)
    host_slack_s: float = Field(
        default=3.0, gt=0, description="extra seconds the host waits beyond the time limits"
    )
    stale_after_s: float | None = Field(
        default=None,
        gt=0,
        description="a sandbox container of any pool older than this was left by a process that "
        "crashed, and is removed when a pool starts; live pools replace idle containers after a "
        "quarter of it, so the longest run must fit in the rest. None: an hour, or twice the "
        "longest run if that is more",
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> SandboxConfig:
        """Refuse settings that contradict each other."""
        if self.tmp_size_mb >= self.memory_mb:
            raise ValueError("tmp_size_mb must be smaller than memory_mb (tmpfs uses memory)")
        if self.idle_limit_s + self.longest_run_s >= self.stale_age_s:
            raise ValueError(
                "stale_after_s must exceed a quarter of itself plus the longest run "
                f"({self.longest_run_s:g}s for max_tests and max_time_s)"
            )
        return self

    @property
    def longest_run_s(self) -> float:
        """The longest a run may take: every allowed test at the highest time limit."""
        return self.deadline_s(self.max_tests, self.max_time_s)

    @property
    def stale_age_s(self) -> float:
        """Age from which a sandbox container counts as left by a process that crashed."""
        if self.stale_after_s is not None:
            return self.stale_after_s
        return max(DEFAULT_STALE_AGE_S, 2 * self.longest_run_s)

    @property
    def idle_limit_s(self) -> float:
        """Age at which a ready but unused container is replaced by a fresh one."""
        return self.stale_age_s / 4

    def deadline_s(self, tests: int, time_s: float) -> float:
        """How long the host waits for a run of `tests` tests limited to `time_s` each."""
        return tests * (time_s + PER_TEST_OVERHEAD_S) + self.host_slack_s

    def effective_limits(self, limits: RunLimits) -> RunLimits:
        """Return `limits` lowered to this configuration's ceilings."""
        return RunLimits(
            time_s=min(limits.time_s, self.max_time_s),
            memory_mb=min(limits.memory_mb, self.memory_mb),
        )

    def response_limit_bytes(self, tests: int) -> int:
        """Upper bound of an honest loader response for `tests` tests.

        Outputs travel as raw bytes: all tests' stdout and stderr stay within the total
        limit, except that the last test may take its stderr and its call results beyond it;
        every test adds an error text of at most ERROR_LIMIT bytes and a small header entry.
        """
        return (
            self.total_output_limit_bytes
            + self.stderr_limit_bytes
            + self.stdout_limit_bytes
            + tests * (ERROR_LIMIT + 1024)
            + 64 * 1024
        )
