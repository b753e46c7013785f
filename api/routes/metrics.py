"""`/metrics`: the Prometheus exposition of this website process, for allowed scrapers only.

The site's visitors must not read it (it tells traffic, failures and capacity), so it answers
only clients in METRICS_ALLOW_IPS (loopback and private networks by default: a Prometheus next
to the replicas) and is a 404 to everyone else. Clients are as the site sees them, after the
proxy's X-Forwarded-For is applied for FORWARDED_ALLOW_IPS.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import APIRouter, HTTPException, Request, Response
from prometheus_client import REGISTRY
from prometheus_client.exposition import choose_encoder

from api.deps import Site

router = APIRouter(tags=["metrics"])

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(allowed: str) -> tuple[Network, ...] | None:
    """The networks of a METRICS_ALLOW_IPS value; None for `*` (anyone)."""
    entries = [part.strip() for part in allowed.split(",") if part.strip()]
    if "*" in entries:
        return None
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def may_scrape(host: str | None, allowed: str) -> bool:
    """True when a client at `host` may read the metrics under METRICS_ALLOW_IPS `allowed`."""
    networks = _networks(allowed)
    if networks is None:
        return True
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:  # no address, or a name (a test client, a Unix socket)
        return False
    return any(address in network for network in networks)


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request, site: Site) -> Response:
    """Every metric of this process in the format the scraper asks for (text by default)."""
    host = request.client.host if request.client else None
    if not may_scrape(host, site.settings.metrics_allow_ips):
        raise HTTPException(status_code=404)
    encode, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encode(REGISTRY), media_type=content_type)
