"""The application's metrics move with the events they count, with bounded labels."""

from __future__ import annotations

import socket

import pytest

from core.mail import Mail, MailNotSent, send_mail
from core.metrics import (
    OTHER_METHOD,
    UNMATCHED_ROUTE,
    method_label,
    record_request,
    route_label,
    watch_gateway,
)
from core.settings import Settings
from core.submissions.service import Source, SubmissionService
from sandbox import Verdict
from tests.support.clocks import Clock
from tests.support.databases import Sessions
from tests.support.fake_grader import ScriptedGrader
from tests.support.learners import GUILD, make_learner
from tests.support.metrics import exposition, sample

SUBMISSIONS = "codestreak_submissions_total"
GRADINGS = "codestreak_grading_seconds_count"
AWARDS = "codestreak_award_seconds_count"
BUSY = "codestreak_busy_refusals_total"


def _counts() -> dict[str, float]:
    text = exposition()
    return {
        "accepted": sample(text, SUBMISSIONS, verdict=Verdict.ACCEPTED.value),
        "wrong": sample(text, SUBMISSIONS, verdict=Verdict.WRONG_ANSWER.value),
        "sandbox_error": sample(text, SUBMISSIONS, verdict=Verdict.SANDBOX_ERROR.value),
        "gradings": sample(text, GRADINGS),
        "awards": sample(text, AWARDS),
        "busy": sample(text, BUSY),
    }


def _moved(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


@pytest.mark.usefixtures("content")
async def test_graded_submissions_count_by_verdict_with_their_latencies(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    before = _counts()

    await service.submit(user, "easy-one", "# accept\n", Source.DISCORD, GUILD)
    await service.submit(user, "easy-two", "# wrong\n", Source.DISCORD, GUILD)

    assert _moved(before, _counts()) == {"accepted": 1, "wrong": 1, "gradings": 2, "awards": 2}


@pytest.mark.usefixtures("content")
async def test_a_busy_grader_counts_a_refusal_and_no_award(
    sessions: Sessions, clock: Clock
) -> None:
    user = await make_learner(sessions, 1)
    service = SubmissionService(sessions, ScriptedGrader(), clock=clock)
    before = _counts()

    outcome = await service.submit(user, "easy-one", "# busy\n", Source.DISCORD, GUILD)

    assert outcome.busy
    assert _moved(before, _counts()) == {"busy": 1, "sandbox_error": 1, "gradings": 1}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_mail_the_server_does_not_take_is_counted() -> None:
    settings = Settings(
        _env_file=None, secret_key="s" * 40, smtp_host="127.0.0.1", smtp_port=_closed_port()
    )
    before = sample(exposition(), "codestreak_mail_failures_total")
    with pytest.raises(MailNotSent):
        await send_mail(settings, Mail("learner@example.test", "Hello", "Body"))
    assert sample(exposition(), "codestreak_mail_failures_total") == before + 1


def test_gateway_latency_is_reported_per_measured_shard() -> None:
    watch_gateway(lambda: [(0, 0.042), (1, float("nan")), (2, float("inf")), (3, 0.1)])
    try:
        text = exposition()
        assert sample(text, "codestreak_gateway_latency_seconds", shard="0") == 0.042
        assert sample(text, "codestreak_gateway_latency_seconds", shard="3") == 0.1
        assert 'codestreak_gateway_latency_seconds{shard="1"}' not in text
        assert 'codestreak_gateway_latency_seconds{shard="2"}' not in text
    finally:
        watch_gateway(tuple)


def test_request_labels_are_bounded() -> None:
    assert route_label("/u/{name:path}") == "/u/{name:path}"
    assert route_label(None) == UNMATCHED_ROUTE
    assert method_label("GET") == "GET"
    assert method_label("BREW") == method_label("X" * 1000) == OTHER_METHOD
    before = sample(
        exposition(),
        "codestreak_http_requests_total",
        route=UNMATCHED_ROUTE,
        method=OTHER_METHOD,
        status="405",
    )
    record_request(None, "BREW", 405, 0.001)
    record_request(None, "PROPFIND", 405, 0.001)
    after = sample(
        exposition(),
        "codestreak_http_requests_total",
        route=UNMATCHED_ROUTE,
        method=OTHER_METHOD,
        status="405",
    )
    assert after == before + 2
