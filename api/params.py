"""The site's bounded request parameters, shared by the JSON API and the HTML pages.

Every number has a range and every string a length (and, where the values are known, the
characters allowed), so that nothing out of range reaches the database; the schema shows the
bounds, and a value outside them gets a 422 that names the parameter and its range
(`api.validation`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

#: largest offset into a list; deeper pages are reached with cursors
MAX_OFFSET = 1_000_000
#: largest page number of an HTML list
MAX_PAGE = 10_000
#: the largest id a 64-bit signed column holds (Discord snowflakes)
MAX_ID = 2**63 - 1
#: display names: 1 to 64 characters, no control characters and no slash
NAME_PATTERN = r"^[^\x00-\x1f\x7f-\x9f/]{1,64}$"
#: task slugs as task files define them (core.content.schema.Slug)
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$"
#: tags as task files define them (core.content.schema.Tag)
TAG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,31}$"
SEARCH_MAX = 100
#: typed text: anything but control characters
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
#: cursors are positions in a list, in digits that fit 64-bit columns
CURSOR_MAX = 40
BOARD_CURSOR = r"^[0-9]{1,18}\.[0-9]{1,18}$"
SOLVES_CURSOR = r"^[0-9]{1,18}$"
#: a tag filter of the HTML list, whose form sends an empty one for "any"
TAG_OR_NONE_PATTERN = f"^$|{TAG_PATTERN}"

#: the patterns above as people read them, for refusals
PATTERN_WORDS = {
    NAME_PATTERN: "without control characters or /",
    SLUG_PATTERN: "of lowercase letters, digits and inner dashes",
    TAG_PATTERN: "of lowercase letters, digits and dashes",
    TAG_OR_NONE_PATTERN: "of lowercase letters, digits and dashes",
    TEXT_PATTERN: "without control characters",
    BOARD_CURSOR: "the next_cursor of the page before",
    SOLVES_CURSOR: "the next_cursor of the page before",
}

Limit = Annotated[int, Query(ge=1, le=100, description="How many items to return, 1 to 100.")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description=f"How many items to skip, 0 to {MAX_OFFSET}.")
]
PageNumber = Annotated[
    int, Query(alias="page", ge=1, le=MAX_PAGE, description=f"Page number, 1 to {MAX_PAGE}.")
]
GuildId = Annotated[int, Path(ge=0, le=MAX_ID, description="A Discord server's id.")]
LearnerName = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=NAME_PATTERN,
        description="A learner's display name (any case), 1 to 64 characters.",
        examples=["ada"],
    ),
]
TaskSlug = Annotated[
    str,
    Path(
        min_length=2,
        max_length=64,
        pattern=SLUG_PATTERN,
        description="A task's slug: lowercase letters, digits and dashes, 2 to 64 characters.",
        examples=["hello-world"],
    ),
]
Tag = Annotated[
    str | None,
    Query(
        max_length=32,
        pattern=TAG_PATTERN,
        description="Only tasks with this tag: lowercase letters, digits and dashes.",
    ),
]
SearchText = Annotated[
    str | None,
    Query(
        max_length=SEARCH_MAX,
        pattern=TEXT_PATTERN,
        description=f"Text in title or slug: at most {SEARCH_MAX} characters, no control "
        "characters.",
    ),
]


def _cursor(pattern: str) -> object:
    """A `cursor` query parameter holding a page's position in the form `pattern`."""
    return Query(
        max_length=CURSOR_MAX,
        pattern=pattern,
        description="Where the page starts: the previous page's `next_cursor` (opaque: pass it "
        "back as it came); none for the first page.",
    )


#: a position on a leaderboard: the last entry's value and learner
BoardCursor = Annotated[str | None, _cursor(BOARD_CURSOR)]
#: a position in a learner's solves: the last solve's id
SolvesCursor = Annotated[str | None, _cursor(SOLVES_CURSOR)]
