"""The /findings command line: which subcommand it asks for, from the leaders' features registry."""

from bot.leaders.feature import asked_by_word, asked_in_chat
from bot.slack.following import FOLLOW, UNFOLLOW

HELP = "help"
SOURCES = "sources"
ASK = "ask"
# Bare words that name a subcommand of Slack's own; every other subcommand is a leaders' feature.
SUBCOMMANDS = {"help": HELP, "?": HELP, "sources": SOURCES}


def parse_command(text: str) -> tuple[str, str]:
    """(subcommand, rest): help, sources, a feature's name and its argument, or anything else as a question."""
    words = text.strip()
    if not words:
        return HELP, ""
    sub = SUBCOMMANDS.get(words.lower())
    if sub:
        return sub, ""
    claim = asked_in_chat(words)  # `/findings brief me on Dorset` reads as `/findings summary Dorset`
    if claim:
        return claim[0].name, claim[1]
    first, _, rest = words.partition(" ")
    if first.lower() in (FOLLOW, UNFOLLOW):
        return first.lower(), rest.strip()
    feature = asked_by_word(first)
    if feature and (rest.strip() or feature.optional):
        return feature.name, rest.strip()
    return ASK, words
