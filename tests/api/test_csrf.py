"""CSRF protection: posts without a token, with a forged one or another session's are refused."""

from __future__ import annotations

import httpx
import pytest

from api.csrf import COOKIE
from tests.support.mailbox import Mailbox
from tests.support.site_client import PASSWORD, csrf_token, register, visitor

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
