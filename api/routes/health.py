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
    """The database, and the Docker engine, sandbox pool and Discord gateway when this process
    runs them: 200 when all are ready, 503 with the same JSON otherwise."""
    checks = await site.health.readiness()
    ready = all(checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )
