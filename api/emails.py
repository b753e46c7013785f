"""The emails the site sends about accounts, delivered after the page has answered.

Sending in the background keeps answers equally fast whether or not an email goes out, so their
timing does not tell whether an address is registered.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from fastapi import BackgroundTasks

from api.pages import render_email
from api.state import SiteState
from core.mail import Mail, MailNotSent, send_mail

logger = logging.getLogger(__name__)


async def _deliver(site: SiteState, mail: Mail) -> None:
    try:
        await send_mail(site.settings, mail)
    except MailNotSent:
        logger.exception("email %r to %s was not sent", mail.subject, mail.to)


def _link(site: SiteState, path: str, token: str) -> str:
    return site.absolute_url(f"{path}?{urlencode({'token': token})}")


def queue_mail(
    background: BackgroundTasks,
    site: SiteState,
    to: str,
    subject: str,
    template: str,
    **context: str,
) -> None:
    """Send an email rendered from `templates/email/<template>` once the response is out."""
    body = render_email(template, site_url=site.settings.site_url, **context)
    background.add_task(_deliver, site, Mail(to=to, subject=subject, body=body))


def queue_registration_mail(
    background: BackgroundTasks, site: SiteState, email: str, token: str | None
) -> None:
    """The confirmation link for a new address, or a note for an address already registered."""
    if token is None:
        queue_mail(
            background,
            site,
            email,
            "You already have a codestreak account",
            "already_registered.txt",
            login_url=site.absolute_url("/login"),
            forgot_url=site.absolute_url("/forgot-password"),
        )
    else:
        queue_mail(
            background,
            site,
            email,
            "Confirm your email to finish registering",
            "confirm_registration.txt",
            link=_link(site, "/register/confirm", token),
        )


def queue_reset_mail(background: BackgroundTasks, site: SiteState, email: str, token: str) -> None:
    """The password reset link."""
    queue_mail(
        background,
        site,
        email,
        "Reset your codestreak password",
        "password_reset.txt",
        link=_link(site, "/reset-password", token),
    )


def queue_email_change_mail(
    background: BackgroundTasks, site: SiteState, email: str, token: str | None
) -> None:
    """The confirmation link for a new address, or a note that the address is taken."""
    if token is None:
        queue_mail(
            background,
            site,
            email,
            "Someone tried to use your address on codestreak",
            "email_in_use.txt",
            forgot_url=site.absolute_url("/forgot-password"),
        )
    else:
        queue_mail(
            background,
            site,
            email,
            "Confirm your new email address",
            "confirm_email_change.txt",
            link=_link(site, "/account/email/confirm", token),
        )
