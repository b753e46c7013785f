"""Every page type audited with axe-core in real Chromium: light and dark, desktop and phone.

No page may have a serious or critical violation. Each audit's screenshot is saved under
`test-artifacts/accessibility/`, and the table of violations by impact is printed at the end
(and written beside the screenshots).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, StorageState, expect
from sqlalchemy import update

from api.app import create_app
from core import migrations
from core.accounts.discord_link import issue_link_url
from core.accounts.password_reset import request_password_reset
from core.accounts.tokens import Purpose, issue_token
from core.db import create_engine, create_sessionmaker
from core.learners import remember_member
from core.models import GuildSettings, Submission, User, utcnow
from core.settings import Settings
from tests.support import databases
from tests.support.accessibility import (
    DESKTOP,
    PHONE,
    Audit,
    Scheme,
    Width,
    audit,
    contrast,
    links_without_cue,
    table,
)
from tests.support.live_site import LiveSite
from tests.support.mailbox import free_port
from tests.support.moderation_site import add_account
from tests.support.rows import add_solve, add_task, discord_learner
from tests.support.site_client import PASSWORD

pytestmark = pytest.mark.browser

SECRET = "accessibility-test-secret-that-is-long-enough-0123456789"
GUILD = 1000
EMAIL = "grace@example.com"
NAME = "Grace Hopper"


@dataclass(frozen=True, slots=True)
class Tokens:
    """Links only an email (or the bot) would give, made while the site is prepared."""

    reset: str
    register: str


async def _prepare(url: str) -> Tokens:
    """A Discord learner in a named server who shared their solutions, and a moderator with a
    public profile who solved a task too."""
    await migrations.upgrade_async(url)
    engine = create_engine(url)
    sessions = create_sessionmaker(engine)
    try:
        learner = await discord_learner(sessions, discord_id=4242, solves=8)
        grace = await add_account(sessions, EMAIL, NAME, moderator=True)
        async with sessions() as session:
            session.add(GuildSettings(guild_id=GUILD, name="Python Club"))
            await remember_member(session, GUILD, learner)
            await session.execute(update(Submission).values(shared=True))
            account = await session.get(User, grace)
            assert account is not None
            account.profile_public = True
            task = await add_task(session, "seed-task-0", title="Seed task 0")
            await add_solve(session, account, task, utcnow() - timedelta(days=1), 10)
            reset = await request_password_reset(session, SECRET, EMAIL)
            assert reset is not None
            await session.commit()
    finally:
        await engine.dispose()
    register = issue_token(SECRET, Purpose.REGISTER, {"email": "newcomer@example.com"})
    return Tokens(reset=reset.token, register=register)


@dataclass(frozen=True, slots=True)
class AuditedSite:
    """The live site, its settings, the links made for it and the signed-in browser state."""

    site: LiveSite
    settings: Settings
    tokens: Tokens
    signed_in: StorageState


@dataclass(frozen=True, slots=True)
class PageType:
    """A kind of page: the address that shows it, whether the visitor is signed in, and for a
    page that answers a form, the fields filled (by label) and the button pressed there. The
    page's main heading says it is the page meant (not a refusal or a login form)."""

    name: str
    path: str
    heading: str
    signed_in: bool = False
    fields: tuple[tuple[str, str], ...] = ()
    button: str | None = None

    def show(self, page: Page, site: AuditedSite) -> None:
        """Open the address and, for a form's answer, fill the form and press the button."""
        page.goto(self.address(site))
        if self.button is not None:
            for label, value in self.fields:
                page.get_by_label(label, exact=True).fill(value)
            with page.expect_navigation(timeout=60_000):
                page.get_by_role("button", name=self.button, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(self.heading)

    def address(self, site: AuditedSite) -> str:
        """The full URL, with this site's links filled in."""
        tokens = site.tokens
        link = issue_link_url(site.settings, 5151, "grace_on_discord").split("?", 1)[1]
        path = self.path.format(reset=tokens.reset, register=tokens.register, link=link)
        return site.site.url + path


PAGE_TYPES = [
    PageType("home", "/", "Practise Python every day."),
    PageType("tasks", "/tasks", "Tasks"),
    PageType("task", "/tasks/seed-task-1", "Seed task 1"),
    PageType("task-signed-in", "/tasks/seed-task-0", "Seed task 0", signed_in=True),
    PageType("leaderboard", "/leaderboard", "Leaderboard"),
    PageType("server-leaderboard", f"/s/{GUILD}/leaderboard", "Python Club leaderboard"),
    PageType("profile", "/u/Grace%20Hopper", "Grace Hopper"),
    PageType("profile-solved", "/u/Grace%20Hopper/solved", "Tasks solved by Grace Hopper"),
    PageType(
        "profile-history-own",
        "/u/Grace%20Hopper/history",
        "Submissions of Grace Hopper",
        signed_in=True,
    ),
    PageType(
        "solutions", "/tasks/seed-task-0/solutions", "Solutions of Seed task 0", signed_in=True
    ),
    PageType("login", "/login", "Log in"),
    PageType(
        "login-refused",
        "/login",
        "Log in",
        fields=(("Email", EMAIL), ("Password", "not the password")),
        button="Log in",
    ),
    PageType("register", "/register", "Create an account"),
    PageType(
        "check-inbox",
        "/register",
        "Check your inbox",
        fields=(("Email", "newcomer@example.com"),),
        button="Send me the link",
    ),
    PageType("register-confirm", "/register/confirm?token={register}", "Finish registering"),
    PageType("forgot-password", "/forgot-password", "Forgot your password?"),
    PageType("reset-password", "/reset-password?token={reset}", "Choose a new password"),
    PageType("account", "/account", "Your account", signed_in=True),
    PageType("delete-account", "/account/delete", "Delete your account", signed_in=True),
    PageType("link", "/link?{link}", "Link your Discord account", signed_in=True),
    PageType("not-found", "/tasks/no-such-task", "Page not found"),
    PageType("invalid-request", "/leaderboard?period=decade", "Some values are not valid"),
    PageType("designer-list", "/mod/tasks", "Task designer", signed_in=True),
    PageType("designer-form", "/mod/tasks/new", "New task", signed_in=True),
]


def _sign_in(browser: Browser, url: str) -> StorageState:
    """The browser state of the moderator, logged in through the form."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "/login")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()
        return context.storage_state()
    finally:
        context.close()


@contextmanager
def _serving(folder: Path, browser: Browser, **changes: object) -> Iterator[AuditedSite]:
    """A prepared live site on SQLite with these settings changed, and the moderator's state."""
    database_url = f"sqlite+aiosqlite:///{folder}/site.db"
    tokens = databases.run_in_own_loop(_prepare(database_url))
    site_url = f"http://127.0.0.1:{free_port()}"
    settings = Settings(
        database_url=database_url,
        secret_key=SECRET,
        site_url=site_url,
        outbox_dir=folder / "outbox",
        # "Sign in with Discord" shows on the pages that offer it
        discord_client_id="1234567890",
        discord_client_secret="accessibility-client-secret",
        discord_redirect_url=f"{site_url}/auth/discord/callback",
    ).model_copy(update=changes)
    site = LiveSite(create_app(settings), int(site_url.rsplit(":", 1)[1]))
    site.start()
    try:
        yield AuditedSite(site, settings, tokens, _sign_in(browser, site.url))
    finally:
        site.stop()


@pytest.fixture(scope="module")
def audited_site(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser
) -> Iterator[AuditedSite]:
    """One live site for every page type's audit."""
    with _serving(tmp_path_factory.mktemp("accessibility"), browser) as site:
        yield site


@pytest.fixture(scope="module")
def grading_site(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser, sandbox_image: str
) -> Iterator[AuditedSite]:
    """A live site that grades in the sandbox, for the verdict's audit."""
    folder = tmp_path_factory.mktemp("accessibility-grading")
    pool = f"test-browser-audit-{os.getpid()}"
    changes = {"sandbox_image": sandbox_image, "sandbox_pool_name": pool}
    with _serving(folder, browser, submission_cooldown_s=0, **changes) as site:
        yield site


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Path:
    """The folder of this module's screenshots and report."""
    folder = artifacts / "accessibility"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def audits(request: pytest.FixtureRequest, shots: Path) -> Iterator[list[Audit]]:
    """Every audit of the module; the table is printed and saved once they are all done."""
    done: list[Audit] = []
    yield done
    report = table(done)
    (shots / "report.txt").write_text(report + "\n")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    terminal = request.config.pluginmanager.getplugin("terminalreporter")
    if capture is not None and terminal is not None:
        with capture.global_and_fixture_disabled():
            terminal.write_line("\naxe-core violations by impact\n" + report)


def _audit_at(
    browser: Browser,
    site: AuditedSite,
    kind: PageType,
    width: Width,
    shots: Path,
    show: Callable[[Page], None],
) -> list[Audit]:
    """Show the page at this width with `show` and audit it in both colour schemes, saving a
    screenshot of each."""
    context = browser.new_context(
        viewport={"width": width.width, "height": width.height},
        bypass_csp=True,
        storage_state=site.signed_in if kind.signed_in else None,
    )
    context.set_default_timeout(15_000)
    found = []
    try:
        page = context.new_page()
        for scheme in Scheme:
            page.emulate_media(color_scheme=scheme.value)
            show(page)
            assert not links_without_cue(page), (kind.name, links_without_cue(page))
            found.append(audit(page, kind.name, scheme, width))
            shot = shots / f"{kind.name}-{scheme}-{width.name}.png"
            page.screenshot(path=str(shot), full_page=True)
    finally:
        context.close()
    return found


def _assert_passes(found: list[Audit]) -> None:
    blocking = [
        f"{result.scheme} {result.width.name}: {violation}"
        for result in found
        for violation in result.blocking()
    ]
    assert not blocking, "\n".join(blocking)


@pytest.mark.parametrize("kind", PAGE_TYPES, ids=[kind.name for kind in PAGE_TYPES])
def test_no_serious_or_critical_violations(
    browser: Browser,
    audited_site: AuditedSite,
    audits: list[Audit],
    shots: Path,
    kind: PageType,
) -> None:
    def show(page: Page) -> None:
        kind.show(page, audited_site)

    found = [
        result
        for width in (DESKTOP, PHONE)
        for result in _audit_at(browser, audited_site, kind, width, shots, show)
    ]
    audits.extend(found)
    _assert_passes(found)


@pytest.mark.docker
def test_a_verdict_has_no_serious_or_critical_violations(
    browser: Browser, grading_site: AuditedSite, audits: list[Audit], shots: Path
) -> None:
    kind = PageType("verdict", "/tasks/seed-task-3", "Seed task 3", signed_in=True, button="Submit")

    def show(page: Page) -> None:
        kind.show(page, grading_site)
        expect(page.get_by_text("Wrong answer").first).to_be_visible()

    found = [
        result
        for width in (DESKTOP, PHONE)
        for result in _audit_at(browser, grading_site, kind, width, shots, show)
    ]
    audits.extend(found)
    _assert_passes(found)


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
