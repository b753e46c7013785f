"""Rate limits per visitor address, per account and per email address.

Attackers spread over many addresses still meet the per-account limits; a limit reached for one
account locks out nobody else; and the answers are the same for registered and unknown emails.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from itertools import count

import httpx
import pytest
from fastapi import FastAPI
from limits import parse

from api import rate_limits
from api.app import create_app
from core.settings import Settings
from tests.support.mailbox import Mailbox, link_in
from tests.support.site_client import PASSWORD, csrf_token, local, log_in, register, submit, visitor

REGISTERED = "ada@example.com"
UNKNOWN = "nobody@example.com"

Browser = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]


def allowed(rule: str) -> int:
    """How many attempts a rule lets through."""
    return parse(rule).amount


@pytest.fixture
def elsewhere(app: FastAPI) -> Browser:
    """A fresh browser on a new address each time, as a botnet would use."""
    addresses = count(1)

    @asynccontextmanager
    async def browser() -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app, client=(f"198.51.100.{next(addresses)}", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client

    return browser


@pytest.mark.parametrize("target", [REGISTERED, UNKNOWN])
async def test_wrong_logins_against_one_account_are_limited_from_any_address(
    client: httpx.AsyncClient, mailbox: Mailbox, elsewhere: Browser, target: str
) -> None:
    await register(client, mailbox, REGISTERED, "Ada")
    for _ in range(allowed(rate_limits.LOGIN_PER_ACCOUNT)):
        async with elsewhere() as attacker:
            assert (await log_in(attacker, target.upper(), "wrong password!")).status_code == 400
    async with elsewhere() as owner:
        refused = await log_in(owner, target, PASSWORD)
    assert refused.status_code == 429
    assert "too many times" in refused.text


async def test_a_locked_account_does_not_lock_out_others_at_the_same_address(
    client: httpx.AsyncClient, mailbox: Mailbox, app: FastAPI, elsewhere: Browser
) -> None:
    await register(client, mailbox, REGISTERED, "Ada")
    await register(client, mailbox, "grace@example.com", "Grace")
    office = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=office, base_url="http://testserver") as colleague:
        assert (await log_in(colleague, REGISTERED, "wrong password!")).status_code == 400
        for _ in range(allowed(rate_limits.LOGIN_PER_ACCOUNT) - 1):
            async with elsewhere() as attacker:
                await log_in(attacker, REGISTERED, "wrong password!")
        assert (await log_in(colleague, REGISTERED, PASSWORD)).status_code == 429
        assert (await log_in(colleague, "grace@example.com", PASSWORD)).status_code == 303


@pytest.mark.parametrize("target", [REGISTERED, UNKNOWN])
async def test_reset_links_for_one_address_are_limited_from_any_address(
    client: httpx.AsyncClient, mailbox: Mailbox, elsewhere: Browser, target: str
) -> None:
    await register(client, mailbox, REGISTERED, "Ada")
    statuses = []
    for _ in range(allowed(rate_limits.FORGOT_PASSWORD_PER_EMAIL) + 1):
        async with elsewhere() as visitor:
            answer = await submit(
                visitor, "/forgot-password", "/forgot-password", {"email": target}
            )
            statuses.append(answer.status_code)
    assert statuses == [200] * allowed(rate_limits.FORGOT_PASSWORD_PER_EMAIL) + [429]
    resets = [m for m in mailbox.to(REGISTERED) if "Reset" in str(m["Subject"])]
    expected = allowed(rate_limits.FORGOT_PASSWORD_PER_EMAIL) if target == REGISTERED else 0
    assert len(resets) == expected


async def test_one_reset_link_is_limited_from_any_address(
    client: httpx.AsyncClient, mailbox: Mailbox, elsewhere: Browser
) -> None:
    await register(client, mailbox, REGISTERED, "Ada")
    await submit(client, "/forgot-password", "/forgot-password", {"email": REGISTERED})
    link = local(link_in(mailbox.wait_for(REGISTERED, "password")))
    fields = {"token": link.partition("token=")[2], "new_password": "a brand new passphrase"}
    for _ in range(allowed(rate_limits.RESET_PASSWORD_PER_LINK)):
        async with elsewhere() as visitor:
            mismatch = await submit(
                visitor, link, "/reset-password", {**fields, "password_confirm": "other"}
            )
            assert mismatch.status_code == 400
    async with elsewhere() as visitor:
        refused = await submit(
            visitor, link, "/reset-password", {**fields, "password_confirm": fields["new_password"]}
        )
    assert refused.status_code == 429


PASSWORD_FORMS = [
    (
        "/account",
        "/account/password",
        {"new_password": "a brand new passphrase"},
        "current_password",
    ),
    ("/account", "/account/email", {"new_email": "new@example.com"}, "password"),
    ("/account/delete", "/account/delete", {"confirm": "yes"}, "password"),
]


@pytest.mark.parametrize(
    ("page", "action", "fields", "password_field"),
    PASSWORD_FORMS,
    ids=[action for _, action, _, _ in PASSWORD_FORMS],
)
async def test_password_checks_on_the_account_page_are_limited_per_account(
    client: httpx.AsyncClient,
    mailbox: Mailbox,
    elsewhere: Browser,
    page: str,
    action: str,
    fields: dict[str, str],
    password_field: str,
) -> None:
    await register(client, mailbox, REGISTERED, "Ada")
    fields = {**fields, "password_confirm": fields.get("new_password", "")}
    for n in range(allowed(rate_limits.PASSWORD_CHECK_PER_ACCOUNT)):
        if "new_email" in fields:  # a new address each time: those have their own limit
            fields["new_email"] = f"new{n}@example.com"
        async with elsewhere() as browser:
            assert (await log_in(browser, REGISTERED)).status_code == 303
            wrong = await submit(browser, page, action, {**fields, password_field: "not it"})
            assert wrong.status_code == 400
    refused = await submit(client, page, action, {**fields, password_field: PASSWORD})
    assert refused.status_code == 429
    assert (await client.get("/account")).status_code == 200


async def test_confirmation_mails_to_one_address_are_limited_across_accounts(
    client: httpx.AsyncClient, mailbox: Mailbox, elsewhere: Browser
) -> None:
    target = {"new_email": "target@example.com", "password": PASSWORD}
    for n in range(allowed(rate_limits.EMAIL_CHANGE_PER_ADDRESS)):
        async with elsewhere() as browser:
            await register(browser, mailbox, f"learner{n}@example.com", f"Reader {n}")
            asked = await submit(browser, "/account", "/account/email", target)
            assert asked.status_code == 303
    await register(client, mailbox, REGISTERED, "Ada")
    refused = await submit(client, "/account", "/account/email", target)
    assert refused.status_code == 429
    assert len(mailbox.to("target@example.com")) == allowed(rate_limits.EMAIL_CHANGE_PER_ADDRESS)


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


@asynccontextmanager
async def replica(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A browser at one address talking to a replica of the site built from `settings`."""
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def test_replicas_sharing_redis_count_the_same_attempts(
    site_settings: Settings, redis_url: str
) -> None:
    shared = site_settings.model_copy(update={"limits_storage_uri": redis_url})
    async with replica(shared) as first, replica(shared) as second:
        for _ in range(allowed(rate_limits.LOGIN)):
            assert (await log_in(first, REGISTERED, "wrong password!")).status_code == 400
        refused = await log_in(second, REGISTERED, "wrong password!")
    assert refused.status_code == 429
    assert "too many times" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 60


async def test_login_closes_with_a_clear_answer_when_the_counts_are_unreachable(
    site_settings: Settings,
) -> None:
    down = site_settings.model_copy(update={"limits_storage_uri": "redis://:x@127.0.0.1:1/0"})
    async with replica(down) as browser:
        refused = await log_in(browser, REGISTERED, PASSWORD)
    assert refused.status_code == 503
    assert "Briefly unavailable" in refused.text
    assert "closed for a moment" in refused.text
    assert "Traceback" not in refused.text
    assert refused.headers["retry-after"] == str(rate_limits.UNAVAILABLE_RETRY_AFTER_S)


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


#: addresses a database that ignores accents, width or case would take for REGISTERED
LOOK_ALIKES = ["ádá@example.com", "ａda@example.com", "adà@exámple.com"]


@pytest.mark.parametrize("look_alike", LOOK_ALIKES)
async def test_a_look_alike_email_is_another_account_with_its_own_limits(
    client: httpx.AsyncClient, mailbox: Mailbox, elsewhere: Browser, look_alike: str
) -> None:
    """Each spelling has its own per-account count, so none may open (or mail) another's
    account: else every look-alike would be a fresh set of guesses at the same password."""
    await register(client, mailbox, REGISTERED, "Ada")
    async with elsewhere() as attacker:
        assert (await log_in(attacker, look_alike, PASSWORD)).status_code == 400
        answer = await submit(
            attacker, "/forgot-password", "/forgot-password", {"email": look_alike}
        )
        assert answer.status_code == 200
    assert not [m for m in mailbox.to(REGISTERED) if "Reset" in str(m["Subject"])]
