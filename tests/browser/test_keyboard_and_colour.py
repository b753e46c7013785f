"""What axe-core does not check: focus rings, the skip link, the top bar's current page, dark
mode and the contrast of the stylesheet's colour pairs, in real Chromium."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.accessibility import Scheme, contrast
from tests.support.audited_site import AuditedSite

pytestmark = pytest.mark.browser


#: What the keyboard's focus is on, how its ring is drawn and the colour right around it (the
#: first background behind the element, the ring being drawn outside it).
_FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  let behind = "rgb(255, 255, 255)";
  for (let node = element.parentElement; node; node = node.parentElement) {
    const color = getComputedStyle(node).backgroundColor;
    if (color !== "rgba(0, 0, 0, 0)" && color !== "transparent") { behind = color; break; }
  }
  return {
    element: element.outerHTML.slice(0, 80),
    onPage: element !== document.body,
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    color: style.outlineColor,
    behind: behind,
    inMain: element.closest("main#content") !== null,
    top: element.getBoundingClientRect().top,
  };
}"""


def _tab(page: Page) -> dict[str, object]:
    """Press Tab and describe what got the focus."""
    page.keyboard.press("Tab")
    return dict(page.evaluate(_FOCUSED))


@dataclass(frozen=True, slots=True)
class FocusWalk:
    """Tab stops to check: from the top of a page, or from a heading clicked first."""

    path: str
    signed_in: bool = False
    from_heading: str | None = None


FOCUS_WALKS = [
    FocusWalk("/login"),
    FocusWalk("/tasks"),
    FocusWalk("/account", signed_in=True, from_heading="Your account"),
    FocusWalk("/tasks/seed-task-0", signed_in=True, from_heading="Solutions"),
]


@pytest.mark.parametrize("scheme", list(Scheme), ids=[scheme.value for scheme in Scheme])
@pytest.mark.parametrize("walk", FOCUS_WALKS, ids=[walk.path for walk in FOCUS_WALKS])
def test_every_focus_stop_has_a_ring_of_3_to_1_against_its_surroundings(
    browser: Browser, audited_site: AuditedSite, walk: FocusWalk, scheme: Scheme
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800},
        storage_state=audited_site.signed_in if walk.signed_in else None,
    )
    try:
        page = context.new_page()
        page.emulate_media(color_scheme=scheme.value)
        page.goto(audited_site.site.url + walk.path)
        if walk.from_heading is not None:
            page.get_by_role("heading", name=walk.from_heading, exact=True).click()
        stops = [_tab(page) for _ in range(14)]
    finally:
        context.close()
    reached_main = False
    for stop in stops:
        if not stop["onPage"]:
            break  # past the last stop, the focus leaves the page
        assert stop["style"] != "none", stop
        assert float(str(stop["width"])) >= 2, stop
        assert contrast(str(stop["color"]), str(stop["behind"])) >= 3, stop
        reached_main = reached_main or bool(stop["inMain"])
    assert reached_main, "the tab stops never reach the page's content"


def test_the_first_tab_stop_skips_to_the_content(
    browser: Browser, audited_site: AuditedSite
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(audited_site.site.url + "/leaderboard")
        skip = _tab(page)
        assert "Skip to content" in str(skip["element"])
        assert float(str(skip["top"])) >= 0, "the skip link stays off screen when focused"
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        page.keyboard.press("Enter")
        assert page.url.endswith("#content")
        assert _tab(page)["inMain"], "Tab after the skip link does not land in the content"
    finally:
        context.close()


def test_dark_mode_follows_the_system_setting(browser: Browser, audited_site: AuditedSite) -> None:
    colours = {}
    for scheme in Scheme:
        context = browser.new_context(color_scheme=scheme.value)
        try:
            page = context.new_page()
            page.goto(audited_site.site.url + "/")
            colours[scheme] = page.evaluate(
                "() => [getComputedStyle(document.body).backgroundColor,"
                " getComputedStyle(document.body).color]"
            )
        finally:
            context.close()
    light_background, light_text = colours[Scheme.LIGHT]
    dark_background, dark_text = colours[Scheme.DARK]
    assert contrast(light_background, "rgb(255, 255, 255)") < 1.1, light_background
    assert contrast(dark_background, "rgb(0, 0, 0)") < 1.5, dark_background
    assert contrast(dark_text, dark_background) >= 4.5
    assert contrast(light_text, light_background) >= 4.5


def test_the_top_bar_marks_the_current_page_without_colour(
    browser: Browser, audited_site: AuditedSite
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(audited_site.site.url + "/leaderboard")
        assert page.evaluate("document.compatMode") == "CSS1Compat"  # not in quirks mode
        here = page.get_by_role("navigation").get_by_role("link", name="Leaderboard")
        elsewhere = page.get_by_role("navigation").get_by_role("link", name="Tasks")
        expect(here).to_have_attribute("aria-current", "page")
        expect(elsewhere).not_to_have_attribute("aria-current", "page")
        decoration = "(link) => getComputedStyle(link).textDecorationLine"
        assert here.evaluate(decoration) == "underline"
        assert elsewhere.evaluate(decoration) == "none"
    finally:
        context.close()


#: Pairs of the stylesheet's colours that meet: (foreground, background, least contrast). Text
#: needs 4.5:1 (WCAG AA); field borders and the focus ring 3:1 (non-text contrast).
PALETTE_PAIRS = [
    *(
        (text, background, 4.5)
        for text in ("--text", "--muted", "--accent")
        for background in ("--bg", "--surface", "--accent-soft", "--chip")
    ),
    ("--on-accent", "--accent", 4.5),
    ("--on-accent", "--accent-dark", 4.5),
    ("--on-accent", "--bad", 4.5),
    *((level, "--surface", 4.5) for level in ("--easy", "--medium", "--hard", "--good", "--bad")),
    ("--good", "--good-soft", 4.5),
    ("--bad", "--bad-soft", 4.5),
    ("--code-text", "--code-bg", 4.5),
    *((border, "--field-bg", 3.0) for border in ("--field-border", "--focus")),
    *((ring, background, 3.0) for ring in ("--focus",) for background in ("--bg", "--surface")),
    ("--field-border", "--surface", 3.0),
]


@pytest.mark.parametrize("scheme", list(Scheme), ids=[scheme.value for scheme in Scheme])
def test_the_palette_keeps_its_contrast_in_both_schemes(
    browser: Browser, audited_site: AuditedSite, scheme: Scheme
) -> None:
    context = browser.new_context(color_scheme=scheme.value)
    try:
        page = context.new_page()
        page.goto(audited_site.site.url + "/")
        names = sorted({name for pair in PALETTE_PAIRS for name in pair[:2]})
        colours = page.evaluate(
            "(names) => names.map((name) =>"
            " getComputedStyle(document.documentElement).getPropertyValue(name))",
            names,
        )
    finally:
        context.close()
    palette = dict(zip(names, colours, strict=True))
    weak = [
        f"{fore} on {back}: {contrast(palette[fore], palette[back]):.2f} < {least}"
        for fore, back, least in PALETTE_PAIRS
        if contrast(palette[fore], palette[back]) < least
    ]
    assert not weak, "\n".join(weak)
