"""Preview cards: the 1200×630 PNG a chat app shows when a profile's or a task's link is pasted
(OpenGraph `og:image`, Twitter's `summary_large_image`).

A card is drawn from its content alone, so equal content gives equal bytes: drawings are kept in
a small cache keyed by the content, and the answer's ETag (api.caching) lets image proxies keep
them too. Drawing runs in a worker thread, never on the event loop. The font is Debian's DejaVu
when installed, else Pillow's built-in scalable font: nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
#: the size of a title too long for one line, on two
TITLE_WRAPPED = 46
#: cards drawn and kept: profiles change as learners solve, so old drawings age out
CACHED_CARDS = 256

BACKGROUND = (30, 31, 46)
PANEL = (43, 45, 66)
TEXT = (242, 243, 245)
MUTED = (181, 186, 193)
ACCENT = (129, 140, 248)

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True, slots=True)
class Fact:
    """A number on a card and what it counts ("42", "points")."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Card:
    """What a card shows: a kind ("Learner profile", "Easy task"), a title, up to four facts
    and a few tags."""

    kind: str
    title: str
    facts: tuple[Fact, ...] = ()
    tags: tuple[str, ...] = ()


@cache
def _font(size: int, bold: bool = False) -> Font:
    """DejaVu Sans at `size` pixels when installed, else Pillow's built-in scalable font."""
    path = _DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _width(draw: ImageDraw.ImageDraw, text: str, font: Font) -> float:
    return draw.textlength(text, font=font)


def _shortened(draw: ImageDraw.ImageDraw, text: str, font: Font, width: int) -> str:
    """`text`, cut with an ellipsis when it is wider than `width`."""
    if _width(draw, text, font) <= width:
        return text
    while len(text) > 1 and _width(draw, text + "…", font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _fitted(draw: ImageDraw.ImageDraw, text: str, width: int, sizes: range) -> tuple[str, Font]:
    """`text` in the largest of `sizes` that fits `width`, shortened when even the smallest
    does not."""
    for size in sizes:
        font = _font(size, bold=True)
        if _width(draw, text, font) <= width:
            return text, font
    return _shortened(draw, text, font, width), font


def _title_lines(draw: ImageDraw.ImageDraw, text: str, width: int) -> tuple[list[str], Font]:
    """The title on one line as large as fits, else on two smaller lines (broken between words,
    the second shortened when needed)."""
    for size in range(84, 55, -4):
        font = _font(size, bold=True)
        if _width(draw, text, font) <= width:
            return [text], font
    font = _font(TITLE_WRAPPED, bold=True)
    words = text.split()
    first = words[0]
    for index, word in enumerate(words[1:], start=1):
        if _width(draw, f"{first} {word}", font) > width:
            return [
                _shortened(draw, first, font, width),
                _shortened(draw, " ".join(words[index:]), font, width),
            ], font
        first = f"{first} {word}"
    return [_shortened(draw, text, font, width)], font


def _tags(draw: ImageDraw.ImageDraw, tags: tuple[str, ...], top: int) -> None:
    """The tags as chips along one line, as many as fit."""
    font = _font(26)
    left = MARGIN
    for tag in tags:
        width = _width(draw, tag, font) + 32
        if left + width > WIDTH - MARGIN:
            break
        draw.rounded_rectangle((left, top, left + width, top + 46), radius=23, fill=PANEL)
        draw.text((left + 16, top + 8), tag, font=font, fill=MUTED)
        left += int(width) + 14


@lru_cache(maxsize=CACHED_CARDS)
def render_card(card: Card) -> bytes:
    """The card as PNG bytes (1200×630); the same content always gives the same bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 10), fill=ACCENT)
    draw.text((MARGIN, 56), "{} codestreak", font=_font(34, bold=True), fill=ACCENT)
    draw.text((MARGIN, 128), card.kind, font=_font(30), fill=MUTED)
    lines, font = _title_lines(draw, card.title, WIDTH - 2 * MARGIN)
    for number, line in enumerate(lines):
        draw.text((MARGIN, 176 + number * (TITLE_WRAPPED + 12)), line, font=font, fill=TEXT)
    column = (WIDTH - 2 * MARGIN) // max(len(card.facts), 1)
    for index, fact in enumerate(card.facts[:4]):
        left = MARGIN + index * column
        value, value_font = _fitted(draw, fact.value, column - 24, range(64, 31, -4))
        draw.text((left, 344), value, font=value_font, fill=TEXT)
        draw.text((left, 422), fact.label, font=_font(28), fill=MUTED)
    _tags(draw, card.tags, 526)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


async def card_png(card: Card) -> bytes:
    """The card's PNG, drawn in a worker thread (or taken from the cache)."""
    return await asyncio.to_thread(render_card, card)
