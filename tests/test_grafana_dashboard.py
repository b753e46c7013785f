"""The Grafana dashboard in docs/ imports cleanly and charts only metrics the roles expose."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from prometheus_client import REGISTRY

import core.metrics
import grading_queue.metrics
import sandbox.metrics

DASHBOARD = Path(__file__).parent.parent / "docs" / "grafana-dashboard.json"
#: the suffixes Prometheus adds to a histogram's or counter's samples
SAMPLE_SUFFIXES = re.compile(r"_(bucket|count|sum|total|created)$")
METRIC_NAME = re.compile(r"\bcodestreak_[a-z_]+")
#: every module that defines metrics is loaded, so the registry knows them all
DEFINING_MODULES = (core.metrics, grading_queue.metrics, sandbox.metrics)


def _dashboard() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return loaded


def _panels() -> list[dict[str, Any]]:
    return [panel for panel in _dashboard()["panels"] if panel["type"] != "row"]


def _families() -> set[str]:
    return {family.name for family in REGISTRY.collect()}


def test_the_data_source_is_a_variable_every_panel_uses() -> None:
    variables = {v["name"]: v for v in _dashboard()["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    for panel in _panels():
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
        assert all(t["datasource"]["uid"] == "${datasource}" for t in panel["targets"])


def test_every_charted_metric_is_one_the_roles_expose() -> None:
    known = _families()
    charted = {
        SAMPLE_SUFFIXES.sub("", name)
        for panel in _panels()
        for target in panel["targets"]
        for name in METRIC_NAME.findall(target["expr"])
    }
    assert charted
    assert charted <= known, charted - known
    application = {name for name in known if name.startswith("codestreak_")}
    assert application <= charted, f"metrics no panel shows: {application - charted}"


def test_panels_have_unique_ids_and_titles() -> None:
    panels = _dashboard()["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    assert len({p["title"] for p in panels}) == len(panels)
