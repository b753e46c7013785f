"""Logging in and out, and pages that need a login."""

from __future__ import annotations

import httpx

from tests.support.mailbox import Mailbox
from tests.support.site_client import PASSWORD, log_in, register, submit, visitor


async def test_log_in_with_the_right_password(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    other = visitor(client)
    answer = await log_in(other, "ADA@example.com")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/u/Ada"
    assert (await other.get("/account")).status_code == 200


async def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    other = visitor(client)
    wrong = await log_in(other, "ada@example.com", "not the password")
    unknown = await log_in(other, "nobody@example.com", "not the password")
    assert wrong.status_code == unknown.status_code == 400
    assert "The email or the password is wrong." in wrong.text
    assert wrong.text.replace("ada@example.com", "X") == unknown.text.replace(
        "nobody@example.com", "X"
    )
    assert (await other.get("/account")).status_code == 303


async def test_pages_that_need_a_login_send_there_and_back(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    other = visitor(client)
    redirect = await other.get("/account")
    assert redirect.status_code == 303
    assert redirect.headers["location"] == "/login?next=%2Faccount"
    login_page = await other.get(redirect.headers["location"])
    assert 'name="next" value="/account"' in login_page.text
    answer = await submit(
        other,
        "/login?next=/account",
        "/login",
        {"email": "ada@example.com", "password": PASSWORD, "next": "/account"},
    )
    assert answer.headers["location"] == "/account"


async def test_login_never_redirects_off_the_site(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        other = visitor(client)
        answer = await submit(
            other,
            "/login",
            "/login",
            {"email": "ada@example.com", "password": PASSWORD, "next": target},
        )
        assert answer.headers["location"] == "/u/Ada"


async def test_log_out_ends_the_session(client: httpx.AsyncClient, mailbox: Mailbox) -> None:
    await register(client, mailbox, "ada@example.com", "Ada")
    answer = await submit(client, "/account", "/logout", {})
    assert answer.status_code == 303
    assert (await client.get("/account")).status_code == 303
    assert "Log in" in (await client.get("/")).text


async def test_the_session_cookie_is_httponly_and_lax(
    client: httpx.AsyncClient, mailbox: Mailbox
) -> None:
    answer = await register(client, mailbox, "ada@example.com", "Ada")
    cookie = next(
        v
        for k, v in answer.headers.multi_items()
        if k == "set-cookie" and "codestreak_session" in v
    )
    assert "httponly" in cookie.lower()
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()
