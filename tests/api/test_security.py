"""Abuse protection: CSRF on every form, rate limits, escaping and protective headers."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from api import rate_limits
from api.app import create_app
from api.csrf import COOKIE
from core.models import User
from core.settings import Settings
from tests.support.mailbox import Mailbox
from tests.support.site_client import PASSWORD, csrf_token, log_in, register

FORMS = [
    ("/login", {"email": "ada@example.com", "password": PASSWORD}),
    ("/logout", {}),
    ("/register", {"email": "ada@example.com"}),
    ("/register/confirm", {"token": "x", "display_name": "Ada", "password": PASSWORD}),
    ("/forgot-password", {"email": "ada@example.com"}),
    ("/reset-password", {"token": "x", "new_password": PASSWORD}),
    ("/account/password", {"current_password": PASSWORD, "new_password": PASSWORD}),
    ("/account/email", {"new_email": "new@example.com", "password": PASSWORD}),
    ("/account/email/confirm", {"token": "x"}),
    ("/account/unlink", {}),
    ("/account/delete", {"password": PASSWORD, "confirm": "yes"}),
    ("/link", {"token": "x"}),
]


def visitor(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """Another browser on the same site."""
    return httpx.AsyncClient(transport=client._transport, base_url="http://testserver")


@pytest.mark.parametrize(("action", "fields"), FORMS, ids=[a for a, _ in FORMS])
async def test_a_form_post_without_a_csrf_token_is_refused(
    client: httpx.AsyncClient, mailbox: Mailbox, action: str, fields: dict[str, str]
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    await client.get("/account")  # holds a valid CSRF cookie, as a victim's browser would
    answer = await client.post(action, data=fields)
    assert answer.status_code == 403
    assert "This form expired or did not come from this site" in answer.text
    assert "Traceback" not in answer.text
    assert (await client.get("/account")).status_code == 200


async def test_a_forged_csrf_token_is_refused(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    page = await client.get("/account")
    genuine = csrf_token(page.text)
    for forged in ("forged", genuine[:-1] + ("0" if genuine[-1] != "0" else "1")):
        answer = await client.post(
            "/account/delete", data={"password": PASSWORD, "confirm": "yes", "csrf_token": forged}
        )
        assert answer.status_code == 403
    assert (await client.get("/account")).status_code == 200


async def test_a_token_from_another_browser_is_refused(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    attacker = visitor(client)
    stolen = csrf_token((await attacker.get("/login")).text)
    answer = await client.post(
        "/account/delete", data={"password": PASSWORD, "confirm": "yes", "csrf_token": stolen}
    )
    assert answer.status_code == 403


async def test_the_login_rate_limit_triggers_with_a_friendly_page(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    browser = visitor(client)
    allowed = int(rate_limits.LOGIN.split("/")[0])
    for _ in range(allowed):
        assert (await log_in(browser, "ada@example.com", "wrong password!")).status_code == 400
    limited = await log_in(browser, "ada@example.com")
    assert limited.status_code == 429
    assert "too many times" in limited.text
    assert int(limited.headers["retry-after"]) > 0


async def test_rate_limits_belong_to_one_app(
    client: httpx.AsyncClient, mailbox: Mailbox, site_settings: Settings
) -> None:
    browser = visitor(client)
    allowed = int(rate_limits.LOGIN.split("/")[0])
    for _ in range(allowed + 1):
        await log_in(browser, "ada@example.com", "wrong password!")
    assert (await log_in(browser, "ada@example.com")).status_code == 429
    other_app = create_app(site_settings)
    async with other_app.router.lifespan_context(other_app):
        transport = httpx.ASGITransport(app=other_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as fresh:
            assert (await log_in(fresh, "ada@example.com", "wrong password!")).status_code == 400


@pytest.mark.parametrize(
    ("path", "rule"),
    [
        ("/register", rate_limits.REGISTER),
        ("/forgot-password", rate_limits.FORGOT_PASSWORD),
        ("/reset-password", rate_limits.RESET_PASSWORD),
    ],
)
async def test_register_forgot_and_reset_are_rate_limited(
    client: httpx.AsyncClient, path: str, rule: str
) -> None:
    token = csrf_token((await client.get("/login")).text)

    # a new address or link each time: this limit is the one per visitor
    def fields(n: int) -> dict[str, str]:
        return {"email": f"x{n}@example.com", "token": f"x{n}", "csrf_token": token}

    allowed = int(rule.split("/")[0])
    statuses = [(await client.post(path, data=fields(n))).status_code for n in range(allowed)]
    assert 429 not in statuses
    assert (await client.post(path, data=fields(allowed))).status_code == 429


async def test_a_display_name_with_html_is_shown_escaped(
    client: httpx.AsyncClient, mailbox: Mailbox, db: async_sessionmaker[AsyncSession]
) -> None:
    name = '<img src=x onerror="alert(1)">'
    done = await register(client, mailbox, "ada@example.com", name)
    assert done.status_code == 303
    for path in ("/account", done.headers["location"], "/leaderboard"):
        page = await client.get(path)
        assert page.status_code == 200, path
        assert "<img" not in page.text
    profile = await client.get(done.headers["location"])
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in profile.text
    async with db() as session:
        session.add(
            User(display_name="<b>bold</b>", discord_id=1, discord_name="<i>x</i>", points=5)
        )
        await session.commit()
    board = await client.get("/leaderboard")
    assert "&lt;b&gt;bold&lt;/b&gt;" in board.text
    assert "<b>bold</b>" not in board.text


async def test_pages_carry_protective_headers(client: httpx.AsyncClient) -> None:
    answer = await client.get("/login")
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_cookies_are_secure_when_the_site_runs_over_https(
    site_settings: Settings, tmp_path: Path
) -> None:
    settings = site_settings.model_copy(update={"site_url": "https://codestreak.example"})
    app: FastAPI = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as browser:
            answer = await browser.get("/login")
    cookies = answer.headers.get_list("set-cookie")
    assert cookies
    assert all("secure" in c.lower() and "httponly" in c.lower() for c in cookies)


async def test_errors_are_pages_not_tracebacks(client: httpx.AsyncClient) -> None:
    missing = await client.get("/no/such/page")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    bad = await client.get("/tasks?page=abc")
    assert bad.status_code == 400
    assert "Traceback" not in bad.text
    api_missing = await client.get("/api/tasks/no-such-task")
    assert api_missing.status_code == 404
    assert api_missing.json() == {"detail": "There is no published task with this slug."}


async def test_a_csrf_pair_from_one_session_is_refused_in_another(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    attacker = visitor(client)
    token = csrf_token((await attacker.get("/login")).text)
    assert (await client.get("/account")).status_code == 200
    client.cookies.set(COOKIE, attacker.cookies[COOKIE])
    answer = await client.post(
        "/account/delete", data={"password": PASSWORD, "confirm": "yes", "csrf_token": token}
    )
    assert answer.status_code == 403
    assert (await client.get("/account")).status_code == 200
