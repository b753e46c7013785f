"""Timing results for people: per task, the reference's and each slow solution's time."""

from __future__ import annotations

from collections.abc import Sequence

from core.content.timing import MIN_SPEEDUP, ProgramTime, TaskTiming


def _slowest(program: ProgramTime) -> str:
    slowest = program.slowest
    if slowest is None:
        return "not timed"
    return f"{'≥ ' if program.capped else ''}{slowest[1]:.0f} ms on test {slowest[0] + 1}"


def task_lines(timing: TaskTiming) -> list[str]:
    """The reference's slowest test, then one indented line per slow solution with its ratio,
    then the findings."""
    lines = [
        f"{timing.task.slug}: reference {_slowest(timing.reference)} "
        f"(limit {timing.limit_ms:.0f} ms)"
    ]
    for naive in timing.slow:
        ratio = timing.ratio(naive)
        shown = "" if ratio is None else f", {'≥ ' if naive.capped else ''}{ratio[1]:.1f}×"
        lines.append(f"  slow '{naive.label}': {_slowest(naive)}{shown}")
    lines.extend(f"  ! {finding}" for finding in timing.findings())
    return lines


def summary(timings: Sequence[TaskTiming]) -> str:
    """How many tasks have findings, and the smallest measured naive-to-reference ratio."""
    ratios = [
        (ratio[1], t.task.slug)
        for t in timings
        for naive in t.slow
        if (ratio := t.ratio(naive)) is not None and not naive.capped
    ]
    short = sum(bool(t.findings()) for t in timings)
    text = (
        f"{len(timings)} task(s) timed, {sum(len(t.slow) for t in timings)} slow solution(s), "
        f"{short} with findings (margin wanted: {MIN_SPEEDUP:.0f}×)"
    )
    if ratios:
        lowest, slug = min(ratios)
        text += f"; smallest measured ratio {lowest:.1f}× ({slug})"
    return text + "."
