"""The site's application factory: `create_app(settings)` builds one FastAPI app.

Serve it with uvicorn, for example:
    uvicorn --factory api.app:app_from_environment --host 127.0.0.1 --port 8000
though `codestreak web` also refuses a weak SECRET_KEY on a public address and applies
FORWARDED_ALLOW_IPS from `.env` (uvicorn reads it from the environment only).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.cors import allow_any_origin
from api.csrf import csrf_class
from api.docs import API_VERSION, DESCRIPTION, TAGS_METADATA
from api.errors import install_error_handlers
from api.request_metrics import RequestMetrics
from api.routes import (
    account,
    auth,
    cards,
    discord_login,
    health,
    home,
    json_api,
    leaderboard,
    link,
    metrics,
    moderation,
    profile_settings,
    profiles,
    registration,
    reset,
    servers,
    solutions,
    solve,
    tasks,
)
from api.state import SiteState
from core.cooldown import SUBMISSION_SCOPE, Cooldown
from core.counters import Counters
from core.db import Database, open_database
from core.designer.sandbox import designer_grader
from core.grading import Grader
from core.health import HealthProbe, Reachable
from core.settings import Settings, get_settings
from core.submissions.service import SubmissionService
from sandbox import SandboxPool

STATIC_DIR = Path(__file__).parent / "static"
SESSION_COOKIE = "codestreak_session"
SESSION_MAX_AGE_S = 14 * 24 * 3600
#: The OpenAPI page loads its viewer from a CDN, so it is left out of the content policy.
DOCS_PATH = "/docs"

#: Sent with every answer: no framing, no type sniffing, no referrer carrying tokens elsewhere,
#: and nothing loaded from other sites.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


async def _add_security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    if request.url.path == DOCS_PATH:
        return response
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    pool: SandboxPool | None = None,
    grader: Grader | None = None,
    broker: Reachable | None = None,
    bot_connected: Callable[[], bool] | None = None,
    submissions: SubmissionService | None = None,
) -> FastAPI:
    """A complete site for `settings`, with its own rate limits and secrets.

    `database`, `pool`, `grader`, `broker`, `bot_connected` and `submissions` are the process's
    other parts when it runs them: the site then shares the process's database engine, grader
    (the grading queue's client, else the sandbox pool) and submission service, and `/readyz`
    reports on the pool, the queue's Redis (`broker`) and the gateway too. Without `database`
    the site opens its own for its lifetime; without a grader, learners' submissions and the
    designer grade in a private pool started on demand; without `submissions` the site has its
    own service on that grader, drained of submissions in flight when the site stops.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            db = (
                database
                if database is not None
                else await stack.enter_async_context(
                    open_database(settings.database_url, echo=settings.database_echo)
                )
            )
            counters = Counters(settings.limits_storage_uri)
            stack.push_async_callback(counters.aclose)
            site_grader = await stack.enter_async_context(
                designer_grader(settings, grader if grader is not None else pool)
            )
            service = submissions
            if service is None:
                service = SubmissionService(
                    db.sessions, site_grader, max_code_bytes=settings.max_code_bytes
                )
                stack.push_async_callback(service.drain, settings.shutdown_grace_s)
            app.state.site = SiteState(
                settings=settings,
                engine=db.engine,
                sessions=db.sessions,
                counters=counters,
                csrf=csrf_class(settings),
                health=HealthProbe(db.engine, pool, bot_connected, broker),
                grader=site_grader,
                submissions=service,
                cooldown=Cooldown(counters, SUBMISSION_SCOPE, settings.submission_cooldown_s),
            )
            yield

    app = FastAPI(
        title="codestreak",
        summary="Profiles, leaderboards and tasks of the codestreak Python training ground.",
        description=DESCRIPTION,
        version=API_VERSION,
        openapi_tags=TAGS_METADATA,
        lifespan=lifespan,
        docs_url=DOCS_PATH,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="lax",
        https_only=settings.site_url.startswith("https://"),
    )
    app.middleware("http")(_add_security_headers)
    app.middleware("http")(allow_any_origin)
    app.add_middleware(RequestMetrics)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (
        health,
        metrics,
        home,
        auth,
        discord_login,
        registration,
        reset,
        account,
        profile_settings,
        link,
        cards,
        profiles,
        leaderboard,
        tasks,
        solve,
        solutions,
        servers,
        json_api,
    ):
        app.include_router(module.router)
    app.include_router(json_api.legacy_router)
    app.include_router(moderation.router)
    return app


def app_from_environment() -> FastAPI:
    """The site configured from the environment and `.env`, for `uvicorn --factory`."""
    return create_app(get_settings())
