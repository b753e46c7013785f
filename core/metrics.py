"""Prometheus metrics of the application, in the process's default registry.

Every role exposes them: the website at `/metrics`, the bot and the grader on METRICS_PORT.
Labels take values from closed sets only (enums, route templates, shard numbers), so the number
of series stays bounded whatever visitors send. The grading queue keeps its own metrics in
`grading_queue.metrics`, the sandbox pool's in `sandbox.metrics`; all land in the same registry.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

#: seconds; gradings take from tens of milliseconds to the sandbox's time limit and beyond
GRADING_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0)
#: seconds; an award is one transaction, milliseconds unless rows are contended
AWARD_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
#: seconds; page answers
HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

#: the route label of a request that matched no route (any unknown path)
UNMATCHED_ROUTE = "unmatched"
#: the method label of a request with a method outside `HTTP_METHODS`
OTHER_METHOD = "other"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class DailyPostOutcome(StrEnum):
    """What became of an attempt to post a server's daily challenge."""

    POSTED = "posted"
    FAILED = "failed"


SUBMISSIONS = Counter(
    "codestreak_submissions", "Submissions finished, by final verdict.", ["verdict"]
)
GRADING_SECONDS = Histogram(
    "codestreak_grading_seconds",
    "Time the grader took for a submission (queue wait included in queue mode).",
    buckets=GRADING_BUCKETS,
)
BUSY_REFUSALS = Counter(
    "codestreak_busy_refusals", "Submissions refused because the grader was busy."
)
AWARD_SECONDS = Histogram(
    "codestreak_award_seconds",
    "Time to store a graded submission and what it earned (one transaction, retries included).",
    buckets=AWARD_BUCKETS,
)
DAILY_POSTS = Counter(
    "codestreak_daily_posts", "Daily challenge posts sent or failed, by outcome.", ["outcome"]
)
ROLE_GRANT_FAILURES = Counter(
    "codestreak_role_grant_failures", "Achievement roles Discord refused to give."
)
MAIL_FAILURES = Counter("codestreak_mail_failures", "Emails the SMTP server did not take.")
GATEWAY_RECONNECTS = Counter(
    "codestreak_gateway_reconnects", "Times a Discord gateway session was resumed or re-opened."
)
HTTP_REQUESTS = Counter(
    "codestreak_http_requests",
    "Requests answered by the website, by route template, method and status.",
    ["route", "method", "status"],
)
HTTP_SECONDS = Histogram(
    "codestreak_http_request_seconds",
    "Time the website took to answer, by route template.",
    ["route"],
    buckets=HTTP_BUCKETS,
)


#: (shard id, heartbeat latency in seconds) of every gateway shard this process runs
Latencies = Callable[[], Iterable[tuple[int, float]]]


class _GatewayLatency(Collector):
    """The heartbeat latency of each gateway shard, read at scrape time."""

    def __init__(self) -> None:
        self.latencies: Latencies = tuple

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "codestreak_gateway_latency_seconds",
            "Heartbeat latency of each Discord gateway shard this process runs.",
            labels=["shard"],
        )
        for shard, latency in self.latencies():
            if math.isfinite(latency):  # not yet measured: NaN or infinity
                family.add_metric([str(shard)], latency)
        yield family


_GATEWAY_LATENCY = _GatewayLatency()
REGISTRY.register(_GATEWAY_LATENCY)


def watch_gateway(latencies: Latencies) -> None:
    """Report `latencies()` (a bot's, per shard) as the gateway latency gauge at each scrape."""
    _GATEWAY_LATENCY.latencies = latencies


def route_label(template: str | None) -> str:
    """The route label of a request: its route's template, one label for every unknown path."""
    return template or UNMATCHED_ROUTE


def method_label(method: str) -> str:
    """The method label of a request: the standard methods by name, any other as one."""
    return method if method in HTTP_METHODS else OTHER_METHOD


def record_request(template: str | None, method: str, status: int, seconds: float) -> None:
    """Count one answered request under its route template, method and status."""
    route = route_label(template)
    HTTP_REQUESTS.labels(route=route, method=method_label(method), status=str(status)).inc()
    HTTP_SECONDS.labels(route=route).observe(seconds)
