"""Discord's HTTP error responses: status, JSON error code, message and the form-error tree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .app_context import json_response

UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_USER = 10013
UNKNOWN_WEBHOOK = 10015
UNKNOWN_APPLICATION_COMMAND = 10063
UNKNOWN_INTERACTION = 10062
UNAUTHORIZED = 40001
REQUEST_TOO_LARGE = 40005
ALREADY_ACKNOWLEDGED = 40060
MISSING_ACCESS = 50001
EMPTY_MESSAGE = 50006
CANNOT_MESSAGE_USER = 50007
MISSING_PERMISSIONS = 50013
INVALID_WEBHOOK_TOKEN = 50027
INVALID_FORM_BODY = 50035


@dataclass(frozen=True)
class FormProblem:
    """One invalid field of a request body, located by its path (e.g. ``embeds.0.title``)."""

    path: tuple[str | int, ...]
    code: str
    message: str

    def describe(self) -> str:
        """Human readable ``path: message`` text used in violation reports."""
        location = ".".join(str(part) for part in self.path) or "body"
        return f"{location}: {self.message}"


def over_limit(path: tuple[str | int, ...], limit: int) -> FormProblem:
    """The problem Discord reports for a string or list longer than ``limit``."""
    return FormProblem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")


def check_length(path: tuple[str | int, ...], value: object, limit: int) -> list[FormProblem]:
    """``[over_limit(...)]`` when ``value`` (a string or list) is longer than ``limit``."""
    if isinstance(value, str | list) and len(value) > limit:
        return [over_limit(path, limit)]
    return []


def bad_value(path: tuple[str | int, ...], message: str) -> FormProblem:
    """A field whose value Discord rejects for a reason stated in ``message``."""
    return FormProblem(path, "BASE_TYPE_BAD_VALUE", message)


class DiscordHTTPError(Exception):
    """An error response exactly as Discord would send it; raised by route handlers."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        problems: tuple[FormProblem, ...] = (),
        *,
        detail: str = "",
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.problems = problems
        self.detail = detail

    def body(self) -> dict[str, Any]:
        """The JSON error body (``errors`` nests the form problems the way Discord does)."""
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.problems:
            tree: dict[str, Any] = {}
            for problem in self.problems:
                node = tree
                for part in problem.path:
                    node = node.setdefault(str(part), {})
                node.setdefault("_errors", []).append(
                    {"code": problem.code, "message": problem.message}
                )
            body["errors"] = tree
        return body

    def response(self) -> web.Response:
        """The aiohttp response carrying this error."""
        return json_response(self.body(), status=self.status)

    def describe(self) -> str:
        """One-line description including every form problem and the fake's explanation."""
        details = [problem.describe() for problem in self.problems]
        if self.detail:
            details.append(self.detail)
        text = f"{self.status} {self.message} (code {self.code})"
        return f"{text}: {'; '.join(details)}" if details else text


def invalid_form_body(
    problems: list[FormProblem], prefix: tuple[str | int, ...] = ()
) -> DiscordHTTPError:
    """400 Invalid Form Body (50035) listing every problem, paths under ``prefix``."""
    located = tuple(FormProblem((*prefix, *p.path), p.code, p.message) for p in problems)
    return DiscordHTTPError(400, INVALID_FORM_BODY, "Invalid Form Body", located)


def not_found(code: int, what: str) -> DiscordHTTPError:
    """404 for an unknown object, e.g. ``not_found(UNKNOWN_CHANNEL, "Channel")``."""
    return DiscordHTTPError(404, code, f"Unknown {what}")


def missing_permissions(detail: str) -> DiscordHTTPError:
    """403 Missing Permissions (50013); ``detail`` says which permission or hierarchy rule."""
    return DiscordHTTPError(403, MISSING_PERMISSIONS, "Missing Permissions", detail=detail)


def missing_access(detail: str) -> DiscordHTTPError:
    """403 Missing Access (50001): the bot cannot see the channel at all."""
    return DiscordHTTPError(403, MISSING_ACCESS, "Missing Access", detail=detail)


def cannot_message_user(detail: str) -> DiscordHTTPError:
    """403 Cannot send messages to this user (50007): the user does not accept the bot's DMs."""
    return DiscordHTTPError(
        403, CANNOT_MESSAGE_USER, "Cannot send messages to this user", detail=detail
    )
