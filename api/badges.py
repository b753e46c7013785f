"""Shields-style SVG badges of a learner's streak and points, to embed in a README.

Two flat panels like shields.io's: the grey label ("codestreak") and a coloured message
("streak 5 days | 120 points"). Widths are estimated from the characters (Verdana 11px, as shields
renders), and every text is escaped, so a name can never break out of the markup.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

LABEL = "codestreak"
#: average advance of Verdana 11px per character, and each panel's padding
_CHAR_PX = 6.5
_PAD_PX = 10
_GREY = "#555"
_ACTIVE = "#e05d44"
_IDLE = "#9f9f9f"


def _width(text: str) -> int:
    return round(len(text) * _CHAR_PX) + _PAD_PX


def badge_message(streak: int, points: int) -> str:
    """The badge's message: the current streak and the points."""
    days = "day" if streak == 1 else "days"
    return f"streak {streak} {days} | {points} points"


def badge_svg(name: str, streak: int, points: int) -> bytes:
    """The SVG badge of learner `name` with `streak` days and `points`."""
    message = badge_message(streak, points)
    left, right = _width(LABEL), _width(message)
    total = left + right
    colour = _ACTIVE if streak > 0 else _IDLE
    title = escape(f"{name} on codestreak: {message}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f"aria-label={quoteattr(f'{LABEL}: {message}')}>"
        f"<title>{title}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" '
        'stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{left}" height="20" fill="{_GREY}"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<rect width="{total}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" '
        'font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2}" y="14">{escape(LABEL)}</text>'
        f'<text x="{left + right / 2}" y="14">{escape(message)}</text></g></svg>'
    )
    return svg.encode()
