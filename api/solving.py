"""Solving on the site: the code form of a task page, and what one submission from it showed.

The form starts from the learner's last code for the task (else its template) and their last
choice of sharing; a submission goes through the bot's `SubmissionService`, so points, streaks,
achievements, the cooldown and the limits on code are the same wherever one solves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from core.catalog import Audience
from core.models import User
from core.sharing import shares_by_default
from core.submissions.drafts import starting_code
from core.submissions.outcome import SubmissionOutcome, TestView
from sandbox import Verdict

#: what the verdict of a submission that was not graded (grader busy or down) is called
NOT_GRADED = "Not graded"
#: how long a learner is asked to wait when the grader was busy or down
RETRY_AFTER_S = 60


@dataclass(frozen=True, slots=True)
class Attempt:
    """What the learner just sent from a task page: their code and choice of sharing, and
    either the outcome of grading it or why it was refused before grading."""

    code: str | None
    shared: bool
    outcome: SubmissionOutcome | None = None
    problem: str | None = None

    @property
    def first_failure(self) -> TestView | None:
        """The first failing visible test, whose data and difference the learner may see."""
        tests = self.outcome.tests if self.outcome else ()
        return next((test for test in tests if not test.passed and not test.hidden), None)

    @property
    def hidden_failed(self) -> bool:
        """A hidden test failed (its data stays secret)."""
        tests = self.outcome.tests if self.outcome else ()
        return any(test.hidden and not test.passed for test in tests)

    @property
    def verdict_name(self) -> str:
        """The verdict as learners read it ("Wrong answer", "Not graded"); empty when refused."""
        return verdict_name(self.outcome.verdict) if self.outcome else ""

    @property
    def graded(self) -> bool:
        """The code was run: False when it was refused, or the grader was busy or down."""
        return self.outcome is not None and self.outcome.verdict is not Verdict.SANDBOX_ERROR


@dataclass(frozen=True, slots=True)
class CodeForm:
    """The code form of a task page, for a signed-in learner."""

    #: where the form posts
    action: str
    code: str
    #: `code` is what the learner sent last (else the task's template)
    previous: bool
    #: the "Share my accepted solution" box is ticked
    shared: bool


def submit_path(base: str, slug: str) -> str:
    """Where a task page's code form posts: next to the task's own address."""
    return f"{base}/{slug}/submit"


async def code_form(
    db: AsyncSession,
    learner: User | None,
    audience: Audience,
    base: str,
    slug: str,
    attempt: Attempt | None,
) -> CodeForm | None:
    """The form for `learner` on task `slug` (None for a signed-out visitor): the code just sent,
    else their last code for the task, else its template; sharing as they chose last."""
    if learner is None:
        return None
    action = submit_path(base, slug)
    if attempt is not None and attempt.code is not None:
        return CodeForm(action, attempt.code, previous=True, shared=attempt.shared)
    draft = await starting_code(db, learner.id, slug, audience)
    code = draft.code if draft is not None else ""
    previous = draft is not None and draft.previous
    shared = attempt.shared if attempt is not None else await shares_by_default(db, learner.id)
    return CodeForm(action, code, previous=previous, shared=shared)


def verdict_name(verdict: Verdict) -> str:
    """A verdict as learners read it: "Wrong answer", "Not graded"."""
    if verdict is Verdict.SANDBOX_ERROR:
        return NOT_GRADED
    return verdict.value.replace("_", " ").capitalize()
