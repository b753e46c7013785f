"""Learners' shared solutions of a task, for those who solved it, with votes and moderation.

A solution is listed when its author agreed to share it when submitting (`Submission.shared`),
it was accepted and no moderator hid it; each author is listed once, with their latest such
solution (votes on an earlier one stay with it, unlisted). The list is ordered by votes
("clever" plus "best practice"), ties going to the earliest, and comes with the task's
reference solution.

Nothing of it is shown before one solves the task (a `Solve` row), except to those who may
curate the task's catalogue (`core.moderators`): they see it to moderate it, and may hide a
solution from learners or show it again. Only solvers vote, one vote of each kind per
solution, never on their own. An author may stop sharing at any time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import SolutionVote, Solve, Submission, Task, User, VoteKind
from core.moderators import curation_of
from core.public_names import public_name
from core.verdicts import SubmissionVerdict

#: solutions per page
PAGE_SIZE = 20

LOCKED = "Other learners' solutions and the reference solution unlock once you solve this task."
NOT_CURATOR = "Only those who curate this task's catalogue see and change hidden solutions."
VOTE_AFTER_SOLVING = "You can vote once you solved this task yourself."
NOT_YOUR_OWN = "You cannot vote for your own solution."


class SolutionMissing(LookupError):
    """The task has no such solution in view: not shared, not accepted, hidden, or another
    task's."""


class SolutionRefused(PermissionError):
    """The viewer may not do this; the message says why, in words for learners."""


@dataclass(frozen=True, slots=True)
class Viewer:
    """Someone looking at a task's solutions, and what they may do there."""

    #: None for a visitor who is not logged in
    user_id: int | None
    #: they solved the task
    solved: bool
    #: they may curate the task's catalogue (so see and hide solutions)
    curates: bool

    @property
    def may_see(self) -> bool:
        """Whether the solutions are shown to them."""
        return self.solved or self.curates


async def viewer_of(
    session: AsyncSession,
    user: User | None,
    task: Task,
    home_guild_ids: Collection[int],
    now: datetime,
) -> Viewer:
    """What `user` (None: a visitor) may see and do with `task`'s solutions at `now`."""
    if user is None:
        return Viewer(None, solved=False, curates=False)
    solve = await session.scalar(
        select(Solve.id).where(Solve.user_id == user.id, Solve.task_id == task.id)
    )
    curation = await curation_of(session, user, home_guild_ids, now)
    return Viewer(user.id, solve is not None, curation.may_curate(task.owner_guild_id))


@dataclass(frozen=True, slots=True)
class Solution:
    """One learner's shared solution, with its votes."""

    submission_id: int
    author_id: int
    #: the name everyone may see: a pseudonym until the author makes their profile public
    author: str
    #: the author shows a public profile, so their name may link to it
    author_public: bool
    code: str
    submitted_at: datetime
    votes: dict[VoteKind, int]
    #: the kinds the viewer voted for it
    voted: frozenset[VoteKind]
    #: when a moderator hid it (hidden solutions are listed for moderators only)
    hidden_at: datetime | None

    @property
    def total_votes(self) -> int:
        """Votes of every kind, which order the list."""
        return sum(self.votes.values())


@dataclass(frozen=True, slots=True)
class SolutionsPage:
    """One page of a task's listed (or, for moderators, hidden) solutions."""

    reference: str
    solutions: tuple[Solution, ...]
    #: solutions on every page
    total: int
    page_number: int
    page_count: int
    #: this lists the hidden solutions
    hidden: bool


def _shared(task_id: int, hidden: bool) -> list[ColumnElement[bool]]:
    """Accepted, shared submissions of the task, hidden by a moderator or not."""
    return [
        Submission.task_id == task_id,
        Submission.verdict == SubmissionVerdict.ACCEPTED,
        Submission.shared.is_(True),
        Submission.share_hidden_at.is_not(None) if hidden else Submission.share_hidden_at.is_(None),
    ]


def _listed_ids(task_id: int, hidden: bool) -> Select[int]:
    """The ids of the solutions a list shows: every hidden one, or each author's latest
    visible one."""
    if hidden:
        return select(Submission.id).where(*_shared(task_id, hidden=True))
    return (
        select(func.max(Submission.id).label("id"))
        .where(*_shared(task_id, hidden=False))
        .group_by(Submission.user_id)
    )


def _tally(submission_ids: Select[int]) -> Select[int, int, int, int]:
    """Votes per submission of `submission_ids`: in all, clever, best practice."""
    return (
        select(
            SolutionVote.submission_id,
            func.count().label("total"),
            func.count(case((SolutionVote.kind == VoteKind.CLEVER, 1))).label("clever"),
            func.count(case((SolutionVote.kind == VoteKind.BEST_PRACTICE, 1))).label("best"),
        )
        .where(SolutionVote.submission_id.in_(submission_ids))
        .group_by(SolutionVote.submission_id)
    )


async def solutions_of(
    session: AsyncSession, task: Task, viewer: Viewer, page_number: int = 1, *, hidden: bool = False
) -> SolutionsPage:
    """One page of the task's solutions as `viewer` sees them, most voted first (ties: the
    earliest), or with `hidden` the ones moderators hid, latest hidden first.

    Raises SolutionRefused when the viewer may not see them (has not solved the task; for the
    hidden ones, does not curate it).
    """
    if not viewer.may_see:
        raise SolutionRefused(LOCKED)
    if hidden and not viewer.curates:
        raise SolutionRefused(NOT_CURATOR)
    listed = _listed_ids(task.id, hidden).subquery()
    total = int(await session.scalar(select(func.count()).select_from(listed)) or 0)
    page_count = max(1, -(-total // PAGE_SIZE))
    tally = _tally(select(listed.c.id)).subquery()
    order = (
        (Submission.share_hidden_at.desc(), Submission.id.desc())
        if hidden
        else (func.coalesce(tally.c.total, 0).desc(), Submission.created_at, Submission.id)
    )
    rows = (
        await session.execute(
            select(
                Submission.id,
                Submission.user_id,
                Submission.code,
                Submission.created_at,
                Submission.share_hidden_at,
                User.display_name,
                User.profile_public,
                func.coalesce(tally.c.clever, 0),
                func.coalesce(tally.c.best, 0),
            )
            .join(User, User.id == Submission.user_id)
            .outerjoin(tally, tally.c.submission_id == Submission.id)
            .where(Submission.id.in_(select(listed.c.id)))
            .order_by(*order)
            .limit(PAGE_SIZE)
            .offset((page_number - 1) * PAGE_SIZE)
        )
    ).all()
    voted = await _votes_of(session, viewer.user_id, [row.id for row in rows])
    solutions = tuple(
        Solution(
            submission_id=submission_id,
            author_id=author_id,
            author=public_name(author_id, author, public),
            author_public=public,
            code=code,
            submitted_at=submitted_at,
            votes={VoteKind.CLEVER: clever, VoteKind.BEST_PRACTICE: best},
            voted=voted.get(submission_id, frozenset()),
            hidden_at=hidden_at,
        )
        for (
            submission_id,
            author_id,
            code,
            submitted_at,
            hidden_at,
            author,
            public,
            clever,
            best,
        ) in rows
    )
    return SolutionsPage(task.solution, solutions, total, page_number, page_count, hidden)


async def _votes_of(
    session: AsyncSession, user_id: int | None, submission_ids: list[int]
) -> dict[int, frozenset[VoteKind]]:
    """The kinds `user_id` voted for each of the submissions."""
    if user_id is None or not submission_ids:
        return {}
    rows = await session.execute(
        select(SolutionVote.submission_id, SolutionVote.kind).where(
            SolutionVote.user_id == user_id, SolutionVote.submission_id.in_(submission_ids)
        )
    )
    kinds: dict[int, set[VoteKind]] = {}
    for submission_id, kind in rows:
        kinds.setdefault(submission_id, set()).add(kind)
    return {submission_id: frozenset(found) for submission_id, found in kinds.items()}


async def vote(
    session: AsyncSession,
    viewer: Viewer,
    task: Task,
    submission_id: int,
    kind: VoteKind,
    voted: bool = True,
) -> None:
    """Cast (or with `voted=False` withdraw) the viewer's vote of `kind` for a listed solution
    of the task, in the caller's transaction; casting twice keeps one vote.

    Raises SolutionMissing when the task lists no such solution, SolutionRefused when the
    viewer has not solved the task or wrote the solution.
    """
    if viewer.user_id is None or not viewer.solved:
        raise SolutionRefused(VOTE_AFTER_SOLVING)
    author = await session.scalar(
        select(Submission.user_id).where(
            Submission.id == submission_id,
            Submission.id.in_(_listed_ids(task.id, hidden=False)),
        )
    )
    if author is None:
        raise SolutionMissing(submission_id)
    if author == viewer.user_id:
        raise SolutionRefused(NOT_YOUR_OWN)
    mine = [
        SolutionVote.user_id == viewer.user_id,
        SolutionVote.submission_id == submission_id,
        SolutionVote.kind == kind,
    ]
    if not voted:
        await session.execute(delete(SolutionVote).where(*mine))
    elif await session.scalar(select(SolutionVote.user_id).where(*mine)) is None:
        try:
            async with session.begin_nested():
                session.add(
                    SolutionVote(user_id=viewer.user_id, submission_id=submission_id, kind=kind)
                )
        except IntegrityError:  # the same vote, cast at the same moment from another tab
            pass


async def hide(
    session: AsyncSession, viewer: Viewer, task: Task, submission_id: int, now: datetime
) -> None:
    """Hide a shared solution of the task from learners (it stays listed for moderators), in
    the caller's transaction; hiding it again changes nothing.

    Raises SolutionRefused when the viewer does not curate the task's catalogue,
    SolutionMissing when the task has no such shared solution.
    """
    submission = await _moderated(session, viewer, task, submission_id)
    if submission.share_hidden_at is None:
        submission.share_hidden_at = now
        submission.share_hidden_by = viewer.user_id


async def unhide(session: AsyncSession, viewer: Viewer, task: Task, submission_id: int) -> None:
    """Show a hidden solution to learners again, in the caller's transaction (see `hide`)."""
    submission = await _moderated(session, viewer, task, submission_id)
    submission.share_hidden_at = None
    submission.share_hidden_by = None


async def _moderated(
    session: AsyncSession, viewer: Viewer, task: Task, submission_id: int
) -> Submission:
    """A shared, accepted submission of the task, hidden or not, for a viewer who curates it."""
    if not viewer.curates:
        raise SolutionRefused(NOT_CURATOR)
    submission = await session.scalar(
        select(Submission).where(
            Submission.id == submission_id,
            Submission.task_id == task.id,
            Submission.verdict == SubmissionVerdict.ACCEPTED,
            Submission.shared.is_(True),
        )
    )
    if submission is None:
        raise SolutionMissing(submission_id)
    return submission


async def stop_sharing(session: AsyncSession, user_id: int, task_id: int) -> int:
    """Withdraw every solution the learner shared of the task from others' view, in the
    caller's transaction; how many were shared."""
    withdrawn = await session.execute(
        update(Submission)
        .where(
            Submission.user_id == user_id,
            Submission.task_id == task_id,
            Submission.shared.is_(True),
        )
        .values(shared=False)
    )
    return int(withdrawn.rowcount)  # type: ignore[attr-defined]
