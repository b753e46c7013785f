"""Small helpers shared by the form pages."""

from __future__ import annotations

from core.accounts.identity import FormProblem


def ensure_confirmed(password: str, confirmation: str) -> None:
    """Raise `FormProblem` when the two password fields differ."""
    if password != confirmation:
        raise FormProblem("password_confirm", "The two passwords are not the same.")


def safe_next(target: str | None, default: str) -> str:
    """A local path to go to after a form, refusing anything that could leave the site."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and all(c.isprintable() for c in target)
    ):
        return target
    return default
