"""The page shown when an emailed or Discord link cannot be used."""

from __future__ import annotations

from api.pages import Page, Refusal
from core.accounts.tokens import Purpose, TokenProblem

_WHAT = {
    Purpose.REGISTER: ("registration link", "/register", "Start registering again"),
    Purpose.PASSWORD_RESET: ("password reset link", "/forgot-password", "Ask for a new link"),
    Purpose.CHANGE_EMAIL: ("email confirmation link", "/account", "Go to your account"),
    Purpose.DISCORD_LINK: ("Discord link", None, None),
}


def token_refusal(page: Page, purpose: Purpose, problem: TokenProblem) -> Refusal:
    """The refusal of a link that cannot be used: why it failed and what to do instead."""
    what, retry_path, retry_label = _WHAT[purpose]
    reasons = {
        TokenProblem.INVALID: f"This {what} is not valid. Check that you copied all of it.",
        TokenProblem.EXPIRED: f"This {what} has expired.",
        TokenProblem.USED: f"This {what} was already used, or was replaced by a newer one.",
    }
    status = 400 if problem is TokenProblem.INVALID else 410
    return page.refuse(
        "link_refused.html",
        status,
        reason=reasons[problem],
        discord=purpose is Purpose.DISCORD_LINK,
        retry_path=retry_path,
        retry_label=retry_label,
    )
