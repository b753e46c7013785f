"""What the OpenAPI document says beyond the routes: tags, and every answer an operation gives.

Each public operation answers 200 (with `ETag` and `Cache-Control`), 304 to a conditional
request, 422 for a refused value (`ValidationProblems`), 429 past the rate limit and 503 when
the database or the rate-limit counts cannot be reached (both with `Retry-After`), and 404 where
it looks something up; `documented` lists them so that generated clients know each one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from api.schemas import Failure
from api.validation import ValidationProblems

API_VERSION = "1.0.0"


class Tag(StrEnum):
    """The groups of operations on the documentation page."""

    LEARNERS = "learners"
    LEADERBOARDS = "leaderboards"
    TASKS = "tasks"
    BADGES = "badges"


TAGS_METADATA = [
    {"name": Tag.LEARNERS, "description": "Public profiles and each learner's solves."},
    {"name": Tag.LEADERBOARDS, "description": "All-time, weekly and streak rankings."},
    {"name": Tag.TASKS, "description": "The shared catalogue of published tasks."},
    {"name": Tag.BADGES, "description": "SVG badges to embed in a README."},
]

DESCRIPTION = """\
Read-only JSON about codestreak's learners, leaderboards and tasks, open to any origin (CORS).

* **Versions**: this is version 1, under `/api/v1/`. The unversioned `/api/...` paths answer the
  same but are deprecated (a `Deprecation` header, RFC 9745, and a `Link` to the successor).
* **Caching**: answers carry a strong `ETag` and `Cache-Control: public`; send the tag back in
  `If-None-Match` to get `304 Not Modified`.
* **Paging**: leaderboards and a learner's solves page with opaque cursors: follow `next` (or
  pass `next_cursor` as `cursor`) until it is null. The task list pages with `offset`.
* **Errors**: `{"detail": "..."}` for 404, 429 and 503; 422 lists each refused value with the
  parameter and its allowed range. 429 and 503 say when to retry in `Retry-After`.
"""

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "required": True,
        "schema": {"type": "integer"},
    }
}
_FRESHNESS = {
    "ETag": {
        "description": "Strong tag of the body: send it back in If-None-Match",
        "required": True,
        "schema": {"type": "string"},
    },
    "Cache-Control": {
        "description": "public, max-age=N",
        "required": True,
        "schema": {"type": "string"},
    },
}


def _failure(description: str, example: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "model": Failure,
        "content": {"application/json": {"example": {"detail": example}}},
        **extra,
    }


_ANSWERS: dict[int, dict[str, Any]] = {
    304: {"description": "Not modified: the version named in If-None-Match is current"},
    404: _failure("Nothing has that name or slug", "There is no learner with that name."),
    422: {
        "description": "A value is out of range or not valid: each is named with what it allows",
        "model": ValidationProblems,
        "content": {
            "application/json": {
                "example": {
                    "detail": [
                        {
                            "loc": ["query", "limit"],
                            "msg": "Query parameter 'limit' must be a whole number from 1 to 100.",
                            "type": "less_than_equal",
                        }
                    ]
                }
            }
        },
    },
    429: _failure(
        "Too many requests from this address",
        "You tried this too many times in a short while. Please wait a minute and try again.",
        headers=_RETRY_AFTER,
    ),
    503: _failure(
        "The database or the rate-limit counts cannot be reached just now",
        "The site cannot reach its database just now. Please try again in a minute.",
        headers=_RETRY_AFTER,
    ),
}


def link(operation: str, parameter: str, pointer: str) -> dict[str, Any]:
    """An OpenAPI link: call `operation` with `parameter` read from this answer at the JSON
    `pointer` (so that clients and fuzzers can follow one answer to the next)."""
    return {"operationId": operation, "parameters": {parameter: f"$response.body#{pointer}"}}


def documented(
    *lookups: int, body: str = "application/json", links: dict[str, Any] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The `responses` of an operation: 200 (`body` with its caching headers and `links` to
    other operations), 304, 422, 429 and 503, and the statuses in `lookups` (404 for one that
    looks something up)."""
    answers: dict[int | str, dict[str, Any]] = {200: {"headers": _FRESHNESS}}
    if links:
        answers[200]["links"] = links
    if body != "application/json":
        answers[200]["content"] = {body: {"schema": {"type": "string"}}}
    for status in sorted({304, 422, 429, 503, *lookups}):
        answers[status] = _ANSWERS[status]
    return answers
