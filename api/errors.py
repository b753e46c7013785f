"""Friendly answers for every failure: pages for people, JSON for the API, never a traceback."""

from __future__ import annotations

import logging
from http import HTTPStatus
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi_csrf_protect.exceptions import CsrfProtectError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from api.deps import LoginRequired, get_site
from api.login_session import session_user
from api.pages import Page, Refusal
from api.rate_limits import TooManyAttempts
from api.validation import problems
from core.models import User

logger = logging.getLogger(__name__)

#: how long a visitor is asked to wait when the database cannot be reached
DATABASE_RETRY_AFTER_S = 30

_TITLES = {
    400: "That request was not understood",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    422: "Some values are not valid",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Briefly unavailable",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _visitor(request: Request) -> User | None:
    """The logged-in visitor for the error page's menu; None if that cannot be known."""
    try:
        async with get_site(request).sessions() as db:
            return await session_user(request, db)
    except Exception:
        logger.exception("could not look up the visitor for an error page")
        return None


async def error_page(
    request: Request, status_code: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    """An error answer: a page for people, `{"detail": ...}` for the JSON API."""
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status_code, headers=headers)
    page = Page(request, get_site(request), await _visitor(request))
    title = _TITLES.get(status_code, "Something went wrong")
    response = page.render("error.html", status_code, title=title, message=message)
    response.headers.update(headers or {})
    return response


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    return RedirectResponse("/login?" + urlencode({"next": exc.next_path}), status_code=303)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refusal)
    return exc.response


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    return await error_page(
        request,
        403,
        "This form expired or did not come from this site. Go back, reload the page and try again.",
    )


async def _too_many(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TooManyAttempts)
    minutes = "a minute" if exc.retry_after_s <= 60 else f"{exc.retry_after_s // 60 + 1} minutes"
    return await error_page(
        request,
        429,
        f"You tried this too many times in a short while. Please wait {minutes} and try again.",
        headers={"Retry-After": str(exc.retry_after_s)},
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {
        404: "There is nothing at this address. Check the link, or start again from the menu.",
        405: "This address does not accept that kind of request.",
    }
    generic = messages.get(exc.status_code, "That request could not be completed.")
    own_words = exc.detail and exc.detail != HTTPStatus(exc.status_code).phrase
    return await error_page(
        request,
        exc.status_code,
        str(exc.detail) if own_words else generic,
        headers=dict(exc.headers or {}),
    )


async def _invalid_request(request: Request, exc: Exception) -> Response:
    """422: every refused value with the parameter's name and what it allows."""
    assert isinstance(exc, RequestValidationError)
    found = problems(request, exc.errors())
    if _wants_json(request):
        return JSONResponse(
            {"detail": [problem.model_dump() for problem in found]}, status_code=422
        )
    said = " ".join(problem.msg for problem in found)
    return await error_page(request, 422, f"{said} Go back and check the address or the form.")


async def _database_down(request: Request, exc: Exception) -> Response:
    """503 with Retry-After when the database cannot be reached, rather than a 500."""
    logger.error("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return await error_page(
        request,
        503,
        "The site cannot reach its database just now. Please try again in a minute.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
    )


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return await error_page(
        request, 500, "Something went wrong on our side. Please try again in a moment."
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register every handler above on `app`."""
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Refusal, _refused)
    app.add_exception_handler(CsrfProtectError, _csrf_refused)
    app.add_exception_handler(TooManyAttempts, _too_many)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    for unreachable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unreachable, _database_down)
    app.add_exception_handler(Exception, _unexpected)
