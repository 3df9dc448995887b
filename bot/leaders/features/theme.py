"""`theme <topic> [since YEAR]`: what inspectors say about a topic across reports, with a Word paper."""

from __future__ import annotations

import datetime as dt

from bot.leaders.feature import Draw, Feature, Option, Request
from bot.leaders.quote import quote_lines
from bot.leaders.theme import Theme, parse_theme_request, theme
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.polarity import CONCERN, STRENGTH

THEME_QUOTES = 5  # per group in the text form; --json has them all


def render_theme(t: Theme, limit: int = THEME_QUOTES) -> str:
    """A theme as text: one count line per group, the local authorities named, the best quotes of each."""
    since = f" since {t.since}" if t.since else ""
    if not t.quotes:
        return f"I found nothing about “{t.topic}” in the reports{since}.\n"
    lines = [f"“{t.topic}”: mentioned in {len(t.reports)} reports{since}"]
    for title, polarity in (("Areas for improvement", CONCERN), ("Strengths", STRENGTH)):
        quotes = t.group(polarity)
        lines += ["", f"{title}: {t.count_line(polarity)}"]
        if t.local_authorities(polarity):
            lines.append("  " + ", ".join(t.local_authorities(polarity)))
        for quote in quotes[:limit]:
            lines += quote_lines(quote)
        if len(quotes) > limit:
            lines.append(f"  … and {len(quotes) - limit} more quotes (--json lists them all)")
    return "\n".join(lines).rstrip() + "\n"


def build(request: Request) -> Theme:
    """The theme the request names, since the year it names or `--since` gives."""
    topic, since = parse_theme_request(request.text)
    return theme(topic, request.options.get("since") or since, request.engine, request.knowledge)


def paper(result: Theme, _knowledge: Knowledge, today: dt.date, _draw: Draw) -> tuple[str, bytes]:
    """The theme as a Word document."""
    from bot.leaders.document import theme_document  # python-docx loads on the first paper, not at start

    return f"Theme {result.topic} {today.isoformat()}", theme_document(result, today)


FEATURE = Feature(
    name="theme", words=("theme",), argument="<topic> [since YEAR]", optional=False,
    help="what inspectors say about a topic across reports.", order=2, build=build, text=render_theme,
    json=Theme.to_json, searches=True, options=(Option("since", "Only reports from this year on.", int),),
    paper=paper,
)
