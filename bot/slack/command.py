"""The /findings command line: which subcommand it asks for."""

HELP = "help"
SOURCES = "sources"
ASK = "ask"
SUMMARY = "summary"
THEME = "theme"
JUDGEMENTS = "judgements"
# Bare words that name a subcommand.
SUBCOMMANDS = {"help": HELP, "?": HELP, "sources": SOURCES}
# Words that name a subcommand taking an argument: `/findings summary Dorset`.
WITH_ARGUMENT = {"summary": SUMMARY, "brief": SUMMARY, "briefing": SUMMARY, "theme": THEME,
                 "judgements": JUDGEMENTS, "judgments": JUDGEMENTS}


def parse_command(text: str) -> tuple[str, str]:
    """(subcommand, rest): a subcommand word and its argument, or anything else as a question; empty asks for help."""
    words = text.strip()
    if not words:
        return HELP, ""
    sub = SUBCOMMANDS.get(words.lower())
    if sub:
        return sub, ""
    first, _, rest = words.partition(" ")
    named = WITH_ARGUMENT.get(first.lower())
    if named and (rest.strip() or named == JUDGEMENTS):
        return named, rest.strip()
    return ASK, words
