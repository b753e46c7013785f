"""How the site and the JSON API name a learner to everyone: their display name once they made
their profile public, otherwise a neutral pseudonym.

A learner known only from Discord has their Discord name as display name, so publishing it
would publish their Discord identity: until they sign in on the site and opt in, pages outside
Discord call them "Learner <id>" (stable: their id never changes) and link to no profile.
Discord itself keeps showing members' names, where everyone already sees them.
"""

from __future__ import annotations

import re

PSEUDONYM_PREFIX = "Learner"
#: what pseudonyms look like, so that nobody can choose one as a display name
PSEUDONYM = re.compile(rf"^{PSEUDONYM_PREFIX}\s+#?\d+$", re.IGNORECASE)


def pseudonym(user_id: int) -> str:
    """The neutral name of a learner without a public profile: "Learner 42"."""
    return f"{PSEUDONYM_PREFIX} {user_id}"


def public_name(user_id: int, display_name: str, profile_public: bool) -> str:
    """The name everyone may see for this learner: the display name of a public profile, else
    the pseudonym."""
    return display_name if profile_public else pseudonym(user_id)


def looks_like_pseudonym(name: str) -> bool:
    """Whether `name` could be mistaken for a pseudonym (and so for another learner)."""
    return PSEUDONYM.fullmatch(name.strip()) is not None
