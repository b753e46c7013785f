"""Counting the website's requests by route template, method and status.

The label is the template of the route that answered (`/u/{name}`), the mount's path for what a
mount serves (`/static`), and one label for every path nothing matched, never the raw path, so
visitors cannot make new series.
"""

from __future__ import annotations

import time

from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.metrics import record_request

#: answered when the app raised before it started an answer
SERVER_ERROR = 500


def _mount_path(scope: Scope) -> str | None:
    """The path of the mount that will serve this request, if any (matched before routing:
    routing moves the mount's path into the scope's root path)."""
    for route in getattr(scope.get("app"), "routes", ()):
        if isinstance(route, Mount) and route.matches(scope)[0] is Match.FULL:
            return route.path
    return None


class RequestMetrics:
    """ASGI middleware: records each HTTP request once its answer went out (or failed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, noting the status it was answered with."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = SERVER_ERROR
        started = time.perf_counter()
        mount = _mount_path(scope)

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            route = scope.get("route")  # the endpoint's route, set by the router on the scope
            template = getattr(route, "path", None) or mount
            record_request(template, scope["method"], status, time.perf_counter() - started)
