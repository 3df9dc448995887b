"""A verbatim, attributed span of one report: what leaders' summaries are made of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answer import Excerpt
from bot.attribution import attribution_parts
from bot.report import Report, Span

if TYPE_CHECKING:  # only its data is read; the store stays at the edge
    from bot.retrieval.knowledge import Knowledge


@dataclass(frozen=True)
class Quote:
    """Text cut from a report by offsets (`source[start:end] == text`), with its section and its lean."""

    text: str
    report: Report
    section: str
    start: int
    end: int
    polarity: str = "neutral"

    def excerpt(self) -> Excerpt:
        """The quote as the answer engine's excerpt, for code that renders those (attribution lines, Slack)."""
        return Excerpt(self.text, self.report, self.section, 0.0, self.start, self.end)

    def to_json(self) -> dict:
        """The quote as the leaders' commands print it: `text` and `report` (the id) are enough to check it."""
        r = self.report
        return {
            "text": self.text, "report": r.id, "section": self.section, "start": self.start, "end": self.end,
            "polarity": self.polarity, "local_authority": r.local_authority, "title": r.title,
            "published": r.published, "url": r.url,
        }


def section_at(knowledge: Knowledge, report_id: str, offset: int) -> str:
    """The section path of the chunk that holds an offset of a report's text, or ''."""
    for chunk in knowledge.by_report.get(report_id, []):
        if chunk.start <= offset < chunk.end:
            return chunk.section
        if chunk.start > offset:
            break
    return ""


def quote_span(knowledge: Knowledge, report: Report, span: Span, polarity: str = "neutral") -> Quote:
    """A stored span of a report as a quote, with the section it sits in."""
    return Quote(span.text, report, section_at(knowledge, report.id, span.start), span.start, span.end, polarity)


def line_quote(knowledge: Knowledge, report: Report, chunk, start: int, end: int) -> Excerpt:
    """The lines of a chunk around [start, end) (chunk offsets), less Markdown heading and emphasis marks."""
    text = chunk.text
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    line = text[first : len(text) if last < 0 else last]
    body = line.strip().lstrip("#*- ").rstrip("*").strip()
    offset = chunk.start + first + line.index(body)
    return Excerpt(body, report, section_at(knowledge, report.id, offset), 1.0, offset, offset + len(body), chunk.id)


def quote_lines(quote: Quote, bullet: str = ">") -> list[str]:
    """A quote as plain text: the words in curly quotes, then its attribution and its link, a line each."""
    lines = [f"{bullet} “{quote.text}”", "  — " + " · ".join(attribution_parts(quote.excerpt()))]
    return [*lines, f"  {quote.report.url}"] if quote.report.url else lines
