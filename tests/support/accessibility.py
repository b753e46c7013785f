"""Accessibility audits of pages in a real browser with axe-core, and the table that reports them.

axe-core comes from the npm registry at the version locked in `tests/browser/axe/`
(`scripts/ensure-axe.sh` installs it); it is injected into the page, which the site's content
policy would refuse, so audited pages are opened in a context that bypasses it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from jinja2 import Template
from playwright.sync_api import Page

from api.pages import TEMPLATES_DIR, templates

AXE_SCRIPT = Path(__file__).resolve().parents[1] / "browser/axe/node_modules/axe-core/axe.min.js"

#: The violations of each rule that failed, as plain data Playwright can carry back.
_RUN_AXE = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact || "minor",
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
    detail: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


class Impact(StrEnum):
    """How much a violation hinders a visitor, as axe-core grades it (mildest first)."""

    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"
    CRITICAL = "critical"


#: The impacts no page may have.
BLOCKING = frozenset({Impact.SERIOUS, Impact.CRITICAL})


class Scheme(StrEnum):
    """The colour scheme a visitor's system asks for."""

    LIGHT = "light"
    DARK = "dark"


@dataclass(frozen=True, slots=True)
class Width:
    """A viewport the pages are audited at."""

    name: str
    width: int
    height: int


DESKTOP = Width("desktop", 1280, 800)
PHONE = Width("phone", 390, 844)


@dataclass(frozen=True, slots=True)
class Violation:
    """One axe-core rule a page breaks, and where."""

    rule: str
    impact: Impact
    help: str
    targets: tuple[str, ...]
    #: what axe-core says is wrong with the first of them
    detail: str

    def __str__(self) -> str:
        where = ", ".join(self.targets)
        return f"{self.impact} {self.rule} ({self.help}): {where}\n    {self.detail}"


@dataclass(frozen=True, slots=True)
class Audit:
    """The violations of one page type in one colour scheme at one width."""

    page: str
    scheme: Scheme
    width: Width
    violations: tuple[Violation, ...]

    def blocking(self) -> list[Violation]:
        """The serious and critical violations."""
        return [found for found in self.violations if found.impact in BLOCKING]

    def counts(self) -> Counter[Impact]:
        """How many rules failed at each impact."""
        return Counter(found.impact for found in self.violations)


def _violation(found: dict[str, Any]) -> Violation:
    return Violation(
        str(found["rule"]),
        Impact(found["impact"]),
        str(found["help"]),
        tuple(found["targets"]),
        str(found["detail"] or ""),
    )


def audit(page: Page, name: str, scheme: Scheme, width: Width) -> Audit:
    """Run axe-core on the page as it is shown now."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"{AXE_SCRIPT} is missing; run scripts/ensure-axe.sh")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=AXE_SCRIPT)
    found = page.evaluate(_RUN_AXE)
    return Audit(name, scheme, width, tuple(_violation(item) for item in found))


def table(audits: list[Audit]) -> str:
    """A plain-text table: one row per page, scheme and width, violations counted by impact."""
    impacts = list(Impact)
    header = ["page", "mode", "width", *impacts]
    rows = [
        [item.page, item.scheme, item.width.name, *(str(item.counts()[i]) for i in impacts)]
        for item in audits
    ]
    widths = [
        max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))
    ]
    return "\n".join(
        "  ".join(str(cell).ljust(size) for cell, size in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


#: Links in the content that neither an underline nor a shape (a border or a background, as
#: buttons and tabs have) tells apart from the text around them.
_LINKS_WITHOUT_CUE = """() => Array.from(document.querySelectorAll("main a[href]"))
  .filter((link) => link.getClientRects().length > 0)
  .filter((link) => {
    const style = getComputedStyle(link);
    const underlined = style.textDecorationLine.includes("underline");
    const bordered = style.borderStyle !== "none" && parseFloat(style.borderWidth) > 0;
    const filled = style.backgroundColor !== "rgba(0, 0, 0, 0)";
    return !(underlined || bordered || filled);
  })
  .map((link) => link.outerHTML.slice(0, 120))"""


def links_without_cue(page: Page) -> list[str]:
    """The visible links in `<main>` told apart from text by colour alone."""
    return list(page.evaluate(_LINKS_WITHOUT_CUE))


def _rgb(css: str) -> tuple[float, float, float]:
    """The channels of a `#rrggbb` colour or a computed `rgb(...)`/`rgba(...)` one."""
    css = css.strip()
    if css.startswith("#") and len(css) == 7:
        red, green, blue = (float(int(css[i : i + 2], 16)) for i in (1, 3, 5))
        return red, green, blue
    inside = css[css.index("(") + 1 : css.index(")")].replace("/", " ").replace(",", " ")
    red, green, blue = (float(part) for part in inside.split()[:3])
    return red, green, blue


def _luminance(css: str) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in _rgb(css))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two CSS colours, `#rrggbb` or computed (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def page_templates() -> set[str]:
    """The templates of whole pages: those that extend the site's base template."""
    return {
        path.name
        for path in TEMPLATES_DIR.glob("*.html")
        if '{% extends "base.html" %}' in path.read_text()
    }


@contextmanager
def recording_templates() -> Iterator[set[str]]:
    """The names of the templates the site (served in this process) renders meanwhile."""
    rendered: set[str] = set()
    original = templates.get_template

    def get_template(name: str | Template, *args: Any, **kwargs: Any) -> Template:
        rendered.add(name if isinstance(name, str) else str(name.name))
        return original(name, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(templates, "get_template", get_template)
        yield rendered
