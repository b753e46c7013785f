"""Mutation results for people (a table per task) and for tools (one JSON document)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.content.mutate import Mutant
from core.content.mutation_run import KILL_RATE_FLOOR, Survivor, TaskMutation

#: longest exposing input shown in the table; --json gives it whole
SHOWN_INPUT_CHARS = 160


def total_line(results: Sequence[TaskMutation], seconds: float) -> str:
    """One line over every task: mutants killed, rate, tasks reaching the floor, duration."""
    killed = sum(len(r.killed) for r in results)
    counted = sum(r.counted for r in results)
    rate = killed / counted if counted else 1.0
    meeting = sum(r.meets_floor for r in results)
    return (
        f"Total: {killed}/{counted} mutants killed ({rate:.1%}); {meeting} of {len(results)} "
        f"tasks reach the {KILL_RATE_FLOOR:.0%} floor; {seconds:.0f} s."
    )


def task_line(result: TaskMutation) -> str:
    """The task's slug, mutants killed of those counted, and its kill rate."""
    if result.problem is not None:
        return f"{result.slug}: {result.problem}"
    extras = [f"{len(result.equivalent)} equivalent"] if result.equivalent else []
    if result.unchecked:
        extras.append(f"{len(result.unchecked)} not run (sandbox error)")
    suffix = f" ({', '.join(extras)})" if extras else ""
    return (
        f"{result.slug}: {len(result.killed)}/{result.counted} mutants killed "
        f"({result.rate:.1%}){suffix}"
    )


def table(results: Sequence[TaskMutation]) -> list[str]:
    """Every task's line followed by its survivors, each with its exposing input."""
    lines: list[str] = []
    for result in results:
        lines.append(task_line(result))
        for survivor in result.survivors:
            lines.append(f"  survived {survivor.mutant.id}  {survivor.mutant.description}")
            lines.append(f"    {_exposing(survivor)}")
        lines.extend(
            f"  equivalent_mutants: no mutant has the id '{unknown}' (any more)"
            for unknown in result.unknown_equivalents
        )
    return lines


def _exposing(survivor: Survivor) -> str:
    if survivor.exposing_input is None and not survivor.candidates_tried:
        return "no candidate input tried (the tests of call tasks are not searched)"
    if survivor.exposing_input is None:
        return f"no exposing input found among {survivor.candidates_tried} candidates"
    shown = repr(survivor.exposing_input)
    if len(shown) > SHOWN_INPUT_CHARS:
        shown = shown[: SHOWN_INPUT_CHARS - 1] + "…"
    return f"smallest exposing input: {shown}"


def document(results: Sequence[TaskMutation], seconds: float) -> dict[str, Any]:
    """The whole run as one JSON-ready document."""
    killed = sum(len(r.killed) for r in results)
    counted = sum(r.counted for r in results)
    return {
        "floor": KILL_RATE_FLOOR,
        "killed": killed,
        "counted": counted,
        "rate": killed / counted if counted else 1.0,
        "tasks_meeting_floor": sum(r.meets_floor for r in results),
        "seconds": round(seconds, 1),
        "tasks": [_task_document(r) for r in results],
    }


def _task_document(result: TaskMutation) -> dict[str, Any]:
    return {
        "slug": result.slug,
        "problem": result.problem,
        "killed": len(result.killed),
        "counted": result.counted,
        "rate": result.rate,
        "meets_floor": result.meets_floor,
        "survivors": [
            {
                **_mutant_document(s.mutant),
                "exposing_input": s.exposing_input,
                "candidates_tried": s.candidates_tried,
            }
            for s in result.survivors
        ],
        "equivalent": [_mutant_document(m) for m in result.equivalent],
        "unchecked": [_mutant_document(m) for m in result.unchecked],
        "unknown_equivalents": list(result.unknown_equivalents),
    }


def _mutant_document(mutant: Mutant) -> dict[str, Any]:
    return {
        "id": mutant.id,
        "operator": mutant.operator.value,
        "line": mutant.line,
        "description": mutant.description,
    }
