"""Discord's limits on message bodies: content, embeds, components, and "not empty"."""

from __future__ import annotations

from typing import Any

from .component_rules import check_message_components
from .errors import (
    EMPTY_MESSAGE,
    DiscordHTTPError,
    FormProblem,
    bad_value,
    check_length,
    invalid_form_body,
    over_limit,
)

Path = tuple[str | int, ...]

MAX_CONTENT = 2000
MAX_EMBEDS = 10
MAX_EMBED_TOTAL = 6000
MAX_ALLOWED_IDS = 100
COMPONENTS_V2_FLAG = 1 << 15


def validate_message_body(
    body: dict[str, Any], *, creating: bool, has_files: bool, prefix: Path = ()
) -> None:
    """Raise the error Discord would answer to this message body, if any.

    ``creating`` is False for edits, where an absent field keeps its old value; ``prefix``
    locates the message inside the request (``("data",)`` in interaction callbacks).
    """
    problems = message_problems(body)
    if problems:
        raise invalid_form_body(problems, prefix)
    if creating and not has_files and _is_empty(body):
        raise DiscordHTTPError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def message_problems(body: dict[str, Any]) -> list[FormProblem]:
    """Every limit the message body breaks."""
    problems = check_length(("content",), body.get("content"), MAX_CONTENT)
    embeds = body.get("embeds") or []
    problems += check_length(("embeds",), embeds, MAX_EMBEDS)
    total = 0
    for index, embed in enumerate(embeds):
        embed_problems, embed_total = _embed_problems(embed, ("embeds", index))
        problems += embed_problems
        total += embed_total
    if total > MAX_EMBED_TOTAL:
        problems.append(
            bad_value(("embeds",), f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}")
        )
    v2 = bool(int(body.get("flags") or 0) & COMPONENTS_V2_FLAG)
    if v2 and (body.get("content") or embeds):
        problems.append(bad_value(("content",), "Components v2 messages cannot have content."))
    problems += check_message_components(list(body.get("components") or []), v2=v2)
    problems += allowed_mentions_problems(body)
    return problems


def allowed_mentions_problems(body: dict[str, Any]) -> list[FormProblem]:
    """What Discord refuses in a message's ``allowed_mentions``."""
    allowed = body.get("allowed_mentions")
    if not isinstance(allowed, dict):
        return []
    problems = []
    parse = list(allowed.get("parse") or [])
    for kind in ("roles", "users"):
        ids = list(allowed.get(kind) or [])
        if kind in parse and ids:
            problems.append(
                bad_value(
                    ("allowed_mentions", "parse"),
                    f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
                )
            )
        if len(ids) > MAX_ALLOWED_IDS:
            problems.append(
                bad_value(("allowed_mentions", kind), f"At most {MAX_ALLOWED_IDS} ids.")
            )
    return problems


def _embed_problems(embed: dict[str, Any], path: Path) -> tuple[list[FormProblem], int]:
    texts: list[tuple[Path, Any, int]] = [
        ((*path, "title"), embed.get("title"), 256),
        ((*path, "description"), embed.get("description"), 4096),
        ((*path, "footer", "text"), (embed.get("footer") or {}).get("text"), 2048),
        ((*path, "author", "name"), (embed.get("author") or {}).get("name"), 256),
    ]
    fields = list(embed.get("fields") or [])
    for index, field in enumerate(fields):
        texts.append(((*path, "fields", index, "name"), field.get("name"), 256))
        texts.append(((*path, "fields", index, "value"), field.get("value"), 1024))
    problems = check_length((*path, "fields"), fields, 25)
    total = 0
    for field_path, value, limit in texts:
        if isinstance(value, str):
            total += len(value)
            if len(value) > limit:
                problems.append(over_limit(field_path, limit))
    return problems, total


def _is_empty(body: dict[str, Any]) -> bool:
    return not any(
        body.get(key) for key in ("content", "embeds", "components", "sticker_ids", "poll")
    )
