"""Counting the website's requests by route template, method and status.

The label is the template of the route that answered (`/u/{name}`), never the raw path, and
one label for every path no route matched, so visitors cannot make new series.
"""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.metrics import record_request

#: answered when the app raised before it started an answer
SERVER_ERROR = 500


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

        async def noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_status)
        finally:
            route = scope.get("route")  # set by the router on the scope it was handed
            template = getattr(route, "path", None)
            record_request(template, scope["method"], status, time.perf_counter() - started)
