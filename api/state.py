"""What one running site holds: settings, database, attempt counts, CSRF, its grader."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi_csrf_protect import CsrfProtect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.cooldown import Cooldown
from core.counters import Counters
from core.grading import Grader
from core.health import HealthProbe
from core.settings import Settings
from core.submissions.service import SubmissionService


@dataclass(slots=True)
class SiteState:
    """Built by the app's lifespan and kept on `app.state.site`; one per app instance."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    #: the attempts the rate limits count (in this process or shared through Redis)
    counters: Counters
    csrf: type[CsrfProtect]
    health: HealthProbe
    #: the sandbox the site grades in: learners' submissions and the task designer's checks
    grader: Grader
    #: learners' submissions from the task pages, graded by `grader` (the bot's service when
    #: the site runs in the bot's process)
    submissions: SubmissionService
    #: between one learner's submissions, shared with the bot's (same counts, scope and keys)
    cooldown: Cooldown

    @property
    def secret_key(self) -> str:
        """The secret that signs sessions, CSRF tokens and emailed links."""
        return self.settings.secret_key.get_secret_value()

    def absolute_url(self, path: str) -> str:
        """A full URL on the public site for `path` (which starts with a slash), for emails."""
        return self.settings.site_url.rstrip("/") + path
