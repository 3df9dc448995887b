"""The /findings command line: which subcommand it asks for."""

HELP = "help"
SOURCES = "sources"
ASK = "ask"
# Bare words that name a subcommand; the summaries issue adds its own here.
SUBCOMMANDS = {"help": HELP, "?": HELP, "sources": SOURCES}


def parse_command(text: str) -> tuple[str, str]:
    """(subcommand, question): a bare subcommand word, or anything else as a question; empty text asks for help."""
    words = text.strip()
    if not words:
        return HELP, ""
    sub = SUBCOMMANDS.get(words.lower())
    return (sub, "") if sub else (ASK, words)
