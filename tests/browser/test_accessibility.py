"""Every page type audited with axe-core in real Chromium: light and dark, desktop and phone.

No page may have a serious or critical violation. Each audit's screenshot is saved under
`test-artifacts/accessibility/`, and the table of violations by impact is printed at the end
(and written beside the screenshots).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.accounts.discord_link import issue_link_url
from tests.support.accessibility import (
    DESKTOP,
    PHONE,
    Audit,
    Scheme,
    Width,
    audit,
    links_without_cue,
    page_templates,
    recording_templates,
    table,
)
from tests.support.audited_site import EMAIL, GUILD, AuditedSite, serving

pytestmark = pytest.mark.browser

#: How long a form's answer may take: grading in the sandbox on a busy machine is slow.
GRADING_TIMEOUT_MS = 90_000


@dataclass(frozen=True, slots=True)
class PageType:
    """A kind of page: the address that shows it, whether the visitor is signed in, and for a
    page that answers a form, the fields filled (by label; `{width}` in a value is replaced by
    the width's name) and the button pressed there. The page's main heading says it is the page
    meant (not a refusal or a login form)."""

    name: str
    path: str
    heading: str
    signed_in: bool = False
    fields: tuple[tuple[str, str], ...] = ()
    button: str | None = None

    def show(self, page: Page, site: AuditedSite, width: Width) -> None:
        """Open the address and, for a form's answer, fill the form and press the button."""
        page.goto(self.address(site))
        if self.button is not None:
            for label, value in self.fields:
                page.get_by_label(label, exact=True).fill(value.format(width=width.name))
            with page.expect_navigation(timeout=GRADING_TIMEOUT_MS):
                button = page.get_by_role("button", name=self.button, exact=True)
                button.click(timeout=GRADING_TIMEOUT_MS)
        expect(page.get_by_role("heading", level=1)).to_contain_text(self.heading)

    def address(self, site: AuditedSite) -> str:
        """The full URL, with this site's links filled in."""
        tokens = site.tokens
        link = issue_link_url(site.settings, 5151, "grace_on_discord").split("?", 1)[1]
        path = self.path.format(
            reset=tokens.reset, register=tokens.register, email=tokens.email_change, link=link
        )
        return site.site.url + path


PAGE_TYPES = [
    PageType("home", "/", "Practise Python every day."),
    PageType("tasks", "/tasks", "Tasks"),
    PageType("task", "/tasks/seed-task-1", "Seed task 1"),
    PageType("task-rich-statement", "/tasks/tiny-bank-ledger", "A tiny bank ledger"),
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
    PageType(
        "email-confirm",
        "/account/email/confirm?token={email}",
        "Confirm your new email",
        signed_in=True,
    ),
    PageType("delete-account", "/account/delete", "Delete your account", signed_in=True),
    PageType("link", "/link?{link}", "Link your Discord account", signed_in=True),
    PageType("link-refused", "/reset-password?token=worn-out", "This link cannot be used"),
    PageType("not-found", "/tasks/no-such-task", "Page not found"),
    PageType("invalid-request", "/leaderboard?period=decade", "Some values are not valid"),
    PageType("designer-list", "/mod/tasks", "Task designer", signed_in=True),
    PageType("designer-form", "/mod/tasks/new", "New task", signed_in=True),
]


@pytest.fixture(scope="module")
def grading_site(
    tmp_path_factory: pytest.TempPathFactory, browser: Browser, sandbox_image: str
) -> Iterator[AuditedSite]:
    """A live site that grades in the sandbox, for the verdict's audit."""
    folder = tmp_path_factory.mktemp("accessibility-grading")
    pool = f"test-browser-audit-{os.getpid()}"
    changes = {"sandbox_image": sandbox_image, "sandbox_pool_name": pool}
    with serving(folder, browser, submission_cooldown_s=0, **changes) as site:
        yield site


@pytest.fixture(scope="module")
def rendered() -> Iterator[set[str]]:
    """The templates rendered while this module's audits run."""
    with recording_templates() as names:
        yield names


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


#: Resolves once the browser drew two more frames.
_NEXT_FRAMES = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
)


def _audit_at(
    browser: Browser, site: AuditedSite, kind: PageType, width: Width, shots: Path
) -> list[Audit]:
    """Show the page at this width and audit it in both colour schemes, saving a screenshot of
    each. A page is loaded again in the dark scheme, as a visitor set to dark mode gets it; a
    form's answer is shown once and the scheme switched while it is open."""
    context = browser.new_context(
        viewport={"width": width.width, "height": width.height},
        bypass_csp=True,
        storage_state=site.signed_in if kind.signed_in else None,
    )
    context.set_default_timeout(15_000)
    found: list[Audit] = []
    try:
        page = context.new_page()
        for scheme in Scheme:
            page.emulate_media(color_scheme=scheme.value)
            if not found or kind.button is None:
                kind.show(page, site, width)
            else:  # scripts (the editor) restyle in the frames after the switch
                page.evaluate(_NEXT_FRAMES)
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
    rendered: set[str],
    kind: PageType,
) -> None:
    found = [
        result
        for width in (DESKTOP, PHONE)
        for result in _audit_at(browser, audited_site, kind, width, shots)
    ]
    audits.extend(found)
    _assert_passes(found)


#: Pages that answer what the sandbox graded: a wrong answer's verdict, and the designer's report
#: on a new task it validated.
GRADED_PAGE_TYPES = [
    PageType("verdict", "/tasks/seed-task-3", "Seed task 3", signed_in=True, button="Submit"),
    PageType(
        "designer-report",
        "/mod/tasks/new",
        "Double it",
        signed_in=True,
        fields=(
            ("Title", "Double it"),
            ("Slug", "double-it-{width}"),
            ("Statement (Markdown)", "Read an integer `n` and print **twice** `n`."),
            ("Reference solution", "print(2 * int(input()))\n"),
            ("Code", "print(int(input()) + 2)\n"),
            ("Why it is wrong", "adds two instead of doubling"),
            ("Input of test 1", "5\n"),
            ("Expected output of test 1", "10\n"),
        ),
        button="Validate",
    ),
]


@pytest.mark.docker
@pytest.mark.parametrize("kind", GRADED_PAGE_TYPES, ids=[kind.name for kind in GRADED_PAGE_TYPES])
def test_graded_pages_have_no_serious_or_critical_violations(
    browser: Browser, grading_site: AuditedSite, audits: list[Audit], shots: Path, kind: PageType
) -> None:
    found = [
        result
        for width in (DESKTOP, PHONE)
        for result in _audit_at(browser, grading_site, kind, width, shots)
    ]
    audits.extend(found)
    _assert_passes(found)


def test_every_page_template_was_audited(audits: list[Audit], rendered: set[str]) -> None:
    """A new kind of page joins `PAGE_TYPES`: this fails while its template is never audited."""
    audited = {result.page for result in audits}
    if not {kind.name for kind in PAGE_TYPES} <= audited:
        pytest.skip("runs after every page type's audit (the whole module)")
    assert page_templates() - rendered == set()
