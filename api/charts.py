"""Pictures of progress drawn on the server as SVG, so profiles need no JavaScript.

Both functions take plain data and return markup safe to insert into a page: every text in it is
escaped, and only numbers and dates come from the data. Each part has a class (`chart-text`,
`heat-2`...) so the site's stylesheet can recolour it for dark mode; the colours written here
are the light ones.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from markupsafe import Markup, escape

#: Heatmap colours from "nothing" to "a lot".
HEAT_COLOURS = ("#ebedf0", "#c7d2fe", "#818cf8", "#4f46e5", "#312e81")
LINE_COLOUR = "#4f46e5"
GRID_COLOUR = "#e2e5ee"
TEXT_COLOUR = "#5d6478"
FONT = 'font-family="system-ui, sans-serif" font-size="11"'


def nice_ceiling(value: int) -> int:
    """The smallest 1, 1.5, 2, 2.5 or 5 times a power of ten at or above `value` (at least 10)."""
    if value <= 10:
        return 10
    magnitude = int(10 ** math.floor(math.log10(value)))
    for step in (1, 1.5, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return int(step * magnitude)
    return 10 * magnitude


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _empty(width: int, height: int, label: str, message: str) -> Markup:
    return _svg(
        width,
        height,
        label,
        [
            f'<rect x="0.5" y="0.5" width="{width - 1}" height="{height - 1}" rx="8" '
            f'class="chart-frame" fill="#fafbfd" stroke="{GRID_COLOUR}"/>',
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
            f'class="chart-text" fill="{TEXT_COLOUR}" {FONT}>{escape(message)}</text>',
        ],
    )


def points_line_chart(
    series: Sequence[tuple[date, int]], *, width: int = 720, height: int = 240
) -> Markup:
    """A line chart of cumulative points by day; `series` is (day, total so far), oldest first."""
    label = "Points over time"
    if not series:
        return _empty(width, height, label, "No points yet: solve a task to start the line.")
    left, right, top, bottom = 48, 16, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = series[0][0], series[-1][0]
    if first == last:
        first -= timedelta(days=1)
    span = (last - first).days
    y_max = nice_ceiling(max(total for _, total in series))

    def x(day: date) -> float:
        return left + plot_w * (day - first).days / span

    def y(total: float) -> float:
        return top + plot_h * (1 - total / y_max)

    body: list[str] = []
    for i in range(5):
        value = y_max * i / 4
        y_pos = y(value)
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y_pos:.1f}" y2="{y_pos:.1f}" '
            f'class="chart-grid" stroke="{GRID_COLOUR}"/>'
            f'<text x="{left - 6}" y="{y_pos + 4:.1f}" text-anchor="end" class="chart-text" '
            f'fill="{TEXT_COLOUR}" {FONT}>{value:g}</text>'
        )
    points = [(x(first), y(0))] if len(series) == 1 else []
    points += [(x(day), y(total)) for day, total in series]
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    baseline = f"{points[-1][0]:.1f},{y(0):.1f} {points[0][0]:.1f},{y(0):.1f}"
    body.append(
        f'<polygon points="{path} {baseline}" class="chart-area" fill="{LINE_COLOUR}" '
        f'fill-opacity="0.10"/>'
    )
    body.append(
        f'<polyline points="{path}" class="chart-line" fill="none" stroke="{LINE_COLOUR}" '
        f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>'
    )
    if len(series) <= 60:
        for day, total in series:
            body.append(
                f'<circle cx="{x(day):.1f}" cy="{y(total):.1f}" r="3.5" class="chart-point" '
                f'fill="#fff" stroke="{LINE_COLOUR}" stroke-width="2">'
                f"<title>{escape(day.isoformat())}: {total} points</title></circle>"
            )
    for day, anchor in ((first, "start"), (last, "end")):
        body.append(
            f'<text x="{x(day):.1f}" y="{height - 8}" text-anchor="{anchor}" '
            f'class="chart-text" fill="{TEXT_COLOUR}" {FONT}>'
            f"{escape(day.strftime('%d %b %Y'))}</text>"
        )
    return _svg(width, height, f"{label}: {series[-1][1]} points on {last.isoformat()}", body)


def heat_level(count: int) -> int:
    """The colour step of a day with `count` submissions (0 to 4)."""
    if count <= 0:
        return 0
    if count == 1:
        return 1
    if count <= 3:
        return 2
    if count <= 5:
        return 3
    return 4


def activity_heatmap(counts: Mapping[date, int], *, today: date, weeks: int = 53) -> Markup:
    """A heatmap of counts by day over the last `weeks` weeks, ending with `today`.

    Columns are weeks (Monday on top), as on code hosting sites; each cell's tooltip says the
    date and the count.
    """
    cell, gap, left, top = 11, 3, 30, 18
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    width = left + weeks * (cell + gap) + 4
    height = top + 7 * (cell + gap) + 22
    body: list[str] = []
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri")):
        body.append(
            f'<text x="0" y="{top + row * (cell + gap) + cell - 2}" class="chart-text" '
            f'fill="{TEXT_COLOUR}" {FONT}>{name}</text>'
        )
    shown_month = None
    total = 0
    for week in range(weeks):
        monday = start + timedelta(weeks=week)
        if monday.month != shown_month and monday.day <= 7:
            shown_month = monday.month
            body.append(
                f'<text x="{left + week * (cell + gap)}" y="{top - 6}" class="chart-text" '
                f'fill="{TEXT_COLOUR}" {FONT}>{monday.strftime("%b")}</text>'
            )
        for row in range(7):
            day = monday + timedelta(days=row)
            if day > today:
                break
            count = counts.get(day, 0)
            total += count
            noun = "submission" if count == 1 else "submissions"
            level = heat_level(count)
            body.append(
                f'<rect x="{left + week * (cell + gap)}" y="{top + row * (cell + gap)}" '
                f'width="{cell}" height="{cell}" rx="2" class="heat-{level}" '
                f'fill="{HEAT_COLOURS[level]}">'
                f"<title>{count} {noun} on {escape(day.isoformat())}</title></rect>"
            )
    legend_y = height - 12
    legend_x = width - 4 - len(HEAT_COLOURS) * (cell + gap) - 70
    body.append(
        f'<text x="{legend_x}" y="{legend_y + 9}" class="chart-text" fill="{TEXT_COLOUR}" '
        f"{FONT}>Less</text>"
    )
    for i, colour in enumerate(HEAT_COLOURS):
        body.append(
            f'<rect x="{legend_x + 30 + i * (cell + gap)}" y="{legend_y}" width="{cell}" '
            f'height="{cell}" rx="2" class="heat-{i}" fill="{colour}"/>'
        )
    body.append(
        f'<text x="{legend_x + 34 + len(HEAT_COLOURS) * (cell + gap)}" y="{legend_y + 9}" '
        f'class="chart-text" fill="{TEXT_COLOUR}" {FONT}>More</text>'
    )
    label = f"Daily activity: {total} submissions in the last year"
    return _svg(width, height, label, body)
