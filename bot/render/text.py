"""Text that fits Discord's limits: clipping with a visible marker, code blocks, embed totals."""

from __future__ import annotations

from collections.abc import Sequence

import discord

CONTENT_LIMIT = 2000
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
TITLE_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
CUT_MARKER = "…[cut]"
FENCE = "```"


def count(number: int, unit: str) -> str:
    """`number` with its unit, singular for one: "1 day", "2 days", "0 days"."""
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def clip(text: str, limit: int) -> str:
    """`text` shortened to `limit` characters, ending with a marker where it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - len(CUT_MARKER))] + CUT_MARKER


def clip_tail(text: str, limit: int) -> str:
    """The last `limit` characters of `text`, starting with a marker where it was cut."""
    if len(text) <= limit:
        return text
    return CUT_MARKER + text[len(text) - max(0, limit - len(CUT_MARKER)) :]


def code_block(text: str, limit: int = FIELD_VALUE_LIMIT, *, tail: bool = False) -> str:
    """`text` in a code block of at most `limit` characters; empty text shows as (empty)."""
    safe = text.replace(FENCE, "`\u200b``")
    if not safe.strip():
        safe = "(empty)"
    room = limit - 2 * len(FENCE) - 2
    body = clip_tail(safe, room) if tail else clip(safe, room)
    return f"{FENCE}\n{body}\n{FENCE}"


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Shorten the longest parts of `embed` until its total size is within Discord's 6000."""
    while (excess := len(embed) - EMBED_TOTAL_LIMIT) > 0:
        fields = embed.fields
        longest = max(range(len(fields)), key=lambda i: len(fields[i].value or ""), default=None)
        description = embed.description or ""
        longest_value = fields[longest].value or "" if longest is not None else ""
        if max(len(description), len(longest_value)) <= 2 * len(CUT_MARKER):
            break  # nothing left worth shortening; the caller built an impossible embed
        if longest is None or len(description) >= len(longest_value):
            embed.description = clip(description, max(len(CUT_MARKER), len(description) - excess))
            continue
        field = fields[longest]
        shorter = clip(longest_value, max(len(CUT_MARKER), len(longest_value) - excess))
        embed.set_field_at(longest, name=field.name, value=shorter, inline=field.inline)
    return embed


def pack_fields(embed: discord.Embed, name: str, lines: Sequence[str], more: str) -> None:
    """`lines` as fields of at most Discord's field size each: the first called `name`, the
    next ones `more`, so that a long list is never cut mid-line."""
    chunk: list[str] = []
    for line in lines:
        if chunk and len("\n".join([*chunk, line])) > FIELD_VALUE_LIMIT:
            embed.add_field(name=name, value="\n".join(chunk), inline=False)
            name, chunk = more, []
        chunk.append(clip(line, FIELD_VALUE_LIMIT))
    if chunk:
        embed.add_field(name=name, value="\n".join(chunk), inline=False)
