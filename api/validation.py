"""Messages for refused request values that name the parameter and what it allows.

FastAPI's own messages say what went wrong ("Input should be less than or equal to 100") but
not where nor what would be right; these read "Query parameter 'limit' must be a whole number
from 1 to 100.", from the bounds the route declares (`api.params`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from annotated_types import Ge, Le, MaxLen, MinLen
from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api.params import PATTERN_WORDS

#: where a parameter is read, as a person names it
_PLACES = {"query": "Query parameter", "path": "Path parameter", "header": "Header"}


class Problem(BaseModel):
    """One refused value: where it was (`["query", "limit"]`), what is allowed, and the kind
    of problem (pydantic's error type)."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationProblems(BaseModel):
    """Why a request was refused (422): one entry per refused value."""

    detail: list[Problem]


def _params(dependant: Dependant) -> Iterator[tuple[str, str, Any]]:
    """(place, name, field info) of every path and query parameter, dependencies included."""
    for place, fields in (("path", dependant.path_params), ("query", dependant.query_params)):
        for field in fields:
            yield place, field.alias, field.field_info
    for sub in dependant.dependencies:
        yield from _params(sub)


def allowed(metadata: Sequence[Any]) -> str:
    """What a parameter's bounds allow, in words ("a whole number from 1 to 100")."""
    low = next((m.ge for m in metadata if isinstance(m, Ge)), None)
    high = next((m.le for m in metadata if isinstance(m, Le)), None)
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    if low is not None:
        return f"a whole number of at least {low}"
    if high is not None:
        return f"a whole number of at most {high}"
    shortest = next((m.min_length for m in metadata if isinstance(m, MinLen)), 0)
    longest = next((m.max_length for m in metadata if isinstance(m, MaxLen)), None)
    pattern = next((p for m in metadata if (p := getattr(m, "pattern", None))), None)
    parts = []
    if longest is not None:
        span = f"{shortest} to {longest}" if shortest else f"at most {longest}"
        parts.append(f"{span} characters")
    if pattern is not None:
        parts.append(PATTERN_WORDS.get(pattern, f"matching {pattern}"))
    return ", ".join(parts)


def problems(request: Request, errors: Sequence[Any]) -> list[Problem]:
    """FastAPI's validation `errors` with messages that name the parameter and its bounds."""
    route = request.scope.get("route")
    bounds = (
        {(place, name): allowed(info.metadata) for place, name, info in _params(route.dependant)}
        if isinstance(route, APIRoute)
        else {}
    )
    found = []
    for error in errors:
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        msg = str(error.get("msg", "Not valid"))
        if len(loc) == 2 and isinstance(loc[1], str) and loc[0] in _PLACES:
            place = f"{_PLACES[str(loc[0])]} '{loc[1]}'"
            rule = bounds.get((str(loc[0]), loc[1]))
            msg = f"{place} must be {rule}." if rule else f"{place}: {msg}."
        found.append(Problem(loc=loc, msg=msg, type=str(error.get("type", "value_error"))))
    return found
