"""CORS for the public JSON API: any site's scripts may read it, and nothing else.

Every operation under `/api/` is a read-only GET without cookies or credentials, so its
answers (errors too) carry `Access-Control-Allow-Origin: *` and expose the caching and rate
limit headers. Pages, forms and account routes never do: a browser keeps other sites' scripts
from reading them. No preflight is needed: the API takes no custom request headers (a browser
revalidates its own cache with If-None-Match without asking first).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

PUBLIC_PREFIX = "/api/"
READ_METHODS = frozenset({"GET", "HEAD"})
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Cache-Control, Retry-After, Deprecation, Link",
}


def is_public_read(request: Request) -> bool:
    """True for a read of the public JSON API (or its OpenAPI document)."""
    return request.method in READ_METHODS and request.url.path.startswith(PUBLIC_PREFIX)


async def allow_any_origin(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Middleware: the CORS headers on public reads of the JSON API only."""
    response = await call_next(request)
    if is_public_read(request):
        response.headers.update(CORS_HEADERS)
    return response
