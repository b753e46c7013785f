"""Cacheable answers for the public JSON API: an ETag from the body, Cache-Control, and 304.

The ETag is strong: a SHA-256 of the exact bytes sent, so two answers with the same tag are
byte for byte the same. A request whose `If-None-Match` names the current tag (or `*`) gets
304 Not Modified with no body; caches and integrators then keep what they have.
"""

from __future__ import annotations

import hashlib

from fastapi import Request, Response
from pydantic import BaseModel

#: how long shared caches may keep a public answer without asking again
MAX_AGE_S = 60
#: badges are fetched by image proxies on every README view: kept a little longer
BADGE_MAX_AGE_S = 300

#: the headers of a cacheable answer, as documented in the OpenAPI document
CACHE_HEADERS = {
    "ETag": {"description": "Strong tag of the body; send it back in If-None-Match"},
    "Cache-Control": {"description": "public, max-age=N"},
}


def entity_tag(body: bytes) -> str:
    """The strong ETag of `body`: a quoted hex digest."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, tag: str) -> bool:
    """True when an If-None-Match header names `tag` (weak comparison, as RFC 9110 asks)."""
    named = {part.strip().removeprefix("W/") for part in if_none_match.split(",")}
    return "*" in named or tag in named


def cacheable(
    request: Request,
    body: BaseModel | bytes,
    media_type: str = "application/json",
    max_age_s: int = MAX_AGE_S,
) -> Response:
    """`body` (a model, sent as JSON, or bytes of `media_type`) with its ETag and public
    Cache-Control; 304 without a body when the request already holds that version."""
    content = body.model_dump_json().encode() if isinstance(body, BaseModel) else body
    tag = entity_tag(content)
    headers = {"ETag": tag, "Cache-Control": f"public, max-age={max_age_s}"}
    if _matches(request.headers.get("if-none-match", ""), tag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media_type, headers=headers)
