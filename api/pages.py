"""Rendering server-side pages: templates, the CSRF token of their forms and one-time notices.

A route answers a refused request by raising the page that says why (`Page.refuse`): the request's
database writes then roll back before the page is sent, as for any other failure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.csrf import FIELD, form_tokens
from api.login_session import take_flashes
from api.state import SiteState
from core.accounts.discord_link import can_sign_in_without_discord
from core.models import User
from core.public_names import pseudonym
from core.submissions.differences import numbered, summary
from sandbox import Difference

TEMPLATES_DIR = Path(__file__).parent / "templates"


def profile_path(name: str) -> str:
    """The path of a learner's profile page, with the name safely encoded."""
    return "/u/" + quote(name, safe="")


def difference_summary(difference: Difference) -> str:
    """Where a wrong answer differs, in words, its tokens in quotes."""
    return summary(difference, lambda token: f"“{token}”")


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["profile_path"] = profile_path
    environment.filters["difference_summary"] = difference_summary
    environment.filters["numbered"] = numbered
    environment.filters["pseudonym"] = pseudonym
    environment.globals["can_sign_in_without_discord"] = can_sign_in_without_discord
    return environment


templates = _environment()


class Refusal(Exception):
    """A refused request: its writes roll back, then `response` (saying why) is sent."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"refused with {response.status_code}")
        self.response = response


@dataclass(frozen=True, slots=True)
class Page:
    """A page being answered: the request, the site and who is looking at it."""

    request: Request
    site: SiteState
    user: User | None
    #: the visitor curates a catalogue: the navigation links to the task designer
    curates: bool = field(default=False, kw_only=True)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """The HTML response of `template` with the common context and a fresh CSRF cookie."""
        token, signed = form_tokens(self.site.csrf, self.request)
        rendered = templates.get_template(template).render(
            request=self.request,
            current_user=self.user,
            csrf_field=FIELD,
            csrf_token=token,
            flashes=take_flashes(self.request),
            curates=self.curates,
            # the public site's address, for absolute links (OpenGraph tags)
            site_url=self.site.settings.site_url.rstrip("/"),
            discord_sign_in=self.site.settings.discord_sign_in,
            **context,
        )
        response = HTMLResponse(rendered, status_code=status_code)
        self.site.csrf().set_csrf_cookie(signed, response)
        return response

    def refuse(self, template: str, status_code: int, **context: Any) -> Refusal:
        """The refusal to raise when a request fails: `template` rendered as its answer."""
        return Refusal(self.render(template, status_code, **context))


@dataclass(frozen=True, slots=True)
class UserPage(Page):
    """A page only a logged-in visitor reaches, so `user` is never None."""

    user: User


def render_email(template: str, **context: Any) -> str:
    """A plain-text email body from `templates/email/<template>`."""
    return templates.get_template(f"email/{template}").render(**context)
