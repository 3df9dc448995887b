"""`/findings follow` and `unfollow`: which councils' new reports a user hears of, by DM."""

from __future__ import annotations

import re

from bot.errors import InputError
from bot.language.groups import NEIGHBOURS
from bot.language.neighbours import by_name, neighbours
from bot.leaders.briefing import find_local_authority
from bot.state import State

FOLLOW, UNFOLLOW = "follow", "unfollow"
_OF = re.compile(rf"(?i)^(?:{NEIGHBOURS}\s+(?:of|for)\s+(?P<after>.+)|(?P<before>.+?)(?:'s|’s|s')\s+{NEIGHBOURS})$")
_BARE = re.compile(rf"(?i)^(?:my\s+|our\s+)?{NEIGHBOURS}$")


def councils_meant(text: str, followed: frozenset[str]) -> tuple[str, ...]:
    """The councils the words name: one or more by name ("Reading and Slough"), a council's neighbours, or "neighbours"
    alone for the neighbours of the councils already followed."""
    words = " ".join(text.split()).strip(" .")
    known = set(by_name())
    if _BARE.match(words):
        if not followed:
            raise InputError("Follow a council first, or say whose neighbours: "
                             "`/findings follow neighbours of Reading`.")
        return tuple(sorted({c.name for la in followed for c in neighbours(la)} - followed))
    match = _OF.match(words)
    if match:
        council = find_local_authority(match.group("after") or match.group("before"), known)
        return tuple(c.name for c in neighbours(council))
    names = [part for part in re.split(r"\s*(?:,|\band\b|&)\s*", words) if part]
    if not names:
        raise InputError("Name a council to follow, e.g. `/findings follow Reading`.")
    return tuple(dict.fromkeys(find_local_authority(name, known) for name in names))


def follow_reply(state: State, user: str, sub: str, text: str) -> str:
    """Change what a user follows and say what they now follow."""
    followed = state.following().get(user, frozenset())
    if text.strip():
        councils = councils_meant(text, followed)
        state.follow(user, councils, on=sub == FOLLOW)
        followed = state.following().get(user, frozenset())
    if not followed:
        return ("You follow no councils. `/findings follow Reading` (or `follow neighbours of Reading`) sends you a "
                "DM when Ofsted publishes a new report on them.")
    return (f"You'll get a DM when Ofsted publishes a new report on {len(followed)} "
            f"council{'s' * (len(followed) != 1)}: {', '.join(sorted(followed))}. `/findings unfollow …` stops it.")
