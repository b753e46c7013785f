"""Health endpoints for orchestrators: the process is up, and every part it runs is ready."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import Site

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is up and answering."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "some part is not ready"}})
async def readyz(site: Site) -> JSONResponse:
    """The database, and Redis, the Docker engine, the sandbox pool and the Discord gateway when
    this process uses them: 200 when ready or `degraded` (the pool refilling, the gateway
    reconnecting, for a grace period), 503 with the same JSON otherwise."""
    readiness = await site.health.readiness()
    return JSONResponse(
        {"status": readiness.status, "checks": readiness.checks},
        status_code=200 if readiness.serving else 503,
    )
