"""`/metrics`: requests counted by route template and status, readable by allowed scrapers only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.routes.metrics import may_scrape
from core.metrics import OTHER_METHOD, UNMATCHED_ROUTE
from core.settings import Settings
from tests.support.metrics import label_values, sample

REQUESTS = "codestreak_http_requests_total"
SECONDS = "codestreak_http_request_seconds_count"


async def _scrape(client: httpx.AsyncClient) -> str:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return answer.text


async def test_a_request_is_counted_under_its_route_template_not_its_path(
    client: httpx.AsyncClient,
) -> None:
    labels = {"route": "/api/profiles/{name}", "method": "GET", "status": "404"}
    before = await _scrape(client)

    assert (await client.get("/api/profiles/nobody-here")).status_code == 404
    assert (await client.get("/api/profiles/someone-else")).status_code == 404

    after = await _scrape(client)
    assert sample(after, REQUESTS, **labels) == sample(before, REQUESTS, **labels) + 2
    assert sample(after, SECONDS, route="/api/profiles/{name}") >= 2
    routes = label_values(after, REQUESTS, "route")
    assert not any("nobody-here" in route or "someone-else" in route for route in routes)


async def test_a_success_is_counted_with_its_status(client: httpx.AsyncClient) -> None:
    labels = {"route": "/healthz", "method": "GET", "status": "200"}
    before = await _scrape(client)
    assert (await client.get("/healthz")).status_code == 200
    assert (
        sample(await _scrape(client), REQUESTS, **labels) == sample(before, REQUESTS, **labels) + 1
    )


async def test_static_files_share_their_mounts_label(client: httpx.AsyncClient) -> None:
    labels = {"route": "/static", "method": "GET", "status": "200"}
    before = await _scrape(client)
    assert (await client.get("/static/style.css")).status_code == 200
    assert (await client.get("/static/favicon.svg")).status_code == 200
    assert (
        sample(await _scrape(client), REQUESTS, **labels) == sample(before, REQUESTS, **labels) + 2
    )


async def test_unknown_paths_and_methods_share_one_label_each(client: httpx.AsyncClient) -> None:
    unmatched = {"route": UNMATCHED_ROUTE, "method": "GET", "status": "404"}
    before = await _scrape(client)
    for n in range(5):
        assert (await client.get(f"/no/such/page-{n}")).status_code == 404
    await client.request("BREW", "/healthz")

    after = await _scrape(client)
    assert sample(after, REQUESTS, **unmatched) == sample(before, REQUESTS, **unmatched) + 5
    assert not any("page-" in route for route in label_values(after, REQUESTS, "route"))
    assert label_values(after, REQUESTS, "method") <= {
        "GET",
        "HEAD",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "OPTIONS",
        OTHER_METHOD,
    }
    assert OTHER_METHOD in label_values(after, REQUESTS, "method")


async def test_the_exposition_holds_the_application_metrics(client: httpx.AsyncClient) -> None:
    text = await _scrape(client)
    for name in (
        "codestreak_submissions",
        "codestreak_grading_seconds",
        "codestreak_busy_refusals",
        "codestreak_award_seconds",
        "codestreak_sandbox_ready_containers",
        "codestreak_daily_posts",
        "codestreak_role_grant_failures",
        "codestreak_mail_failures",
        "codestreak_gateway_latency_seconds",
        "codestreak_gateway_reconnects",
        "codestreak_http_requests",
    ):
        assert f"# HELP {name} " in text or f"# HELP {name}_total " in text


@asynccontextmanager
async def _visitor(
    settings: Settings, address: str, **changes: str
) -> AsyncIterator[httpx.AsyncClient]:
    app: FastAPI = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as visitor:
            yield visitor


@pytest.mark.parametrize(
    ("address", "changes", "status"),
    [
        ("203.0.113.9", {}, 404),
        ("10.1.2.3", {}, 200),
        ("127.0.0.1", {}, 200),
        ("127.0.0.1", {"metrics_allow_ips": ""}, 404),
        ("203.0.113.9", {"metrics_allow_ips": "203.0.113.0/24"}, 200),
        ("203.0.113.9", {"metrics_allow_ips": "*"}, 200),
    ],
)
async def test_only_allowed_clients_read_the_metrics(
    site_settings: Settings, address: str, changes: dict[str, str], status: int
) -> None:
    async with _visitor(site_settings, address, **changes) as visitor:
        assert (await visitor.get("/metrics")).status_code == status


@pytest.mark.parametrize("host", [None, "testclient", "", "not an address"])
def test_a_client_without_an_address_may_not_scrape(host: str | None) -> None:
    assert not may_scrape(host, "127.0.0.1,10.0.0.0/8")
    assert may_scrape(host, "*")
