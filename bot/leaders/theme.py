"""What inspectors say about one topic across reports: quotes grouped into strengths and concerns, with counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer import Filters
from bot.language.sentence import split_sentences
from bot.leaders.quote import Quote, quote_span
from bot.report import Report
from bot.retrieval.candidates import fragment
from bot.retrieval.keyword import tokenize
from bot.retrieval.polarity import CONCERN, STRENGTH, quote_polarity
from bot.retrieval.query import ParsedQuery
from bot.retrieval.snapshot import Snapshot

# Enough chunks that a common topic reaches most reports that discuss it, in about a second.
CHUNKS, LIMIT, PER_REPORT = 150, 200, 2
KEYWORD_CHUNKS = 600
PER_REPORT_KEPT = 3
# A sentence or improvement item is on the topic when it holds this share of the topic's (idf-weighted) words.
ITEM_COVERAGE = 0.75
_SINCE = re.compile(r"\s+(?:since|from)\s+((?:19|20)\d\d)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Theme:
    """Quotes on one topic from every report in scope that mentions it, each classed strength, concern or neutral."""

    topic: str
    since: int | None
    quotes: list[Quote] = field(default_factory=list)  # best first

    @property
    def reports(self) -> list[Report]:
        """The reports that mention the topic at all, in the order of their best quote."""
        return list({q.report.id: q.report for q in self.quotes}.values())

    def group(self, polarity: str) -> list[Quote]:
        """The quotes of one lean, best first."""
        return [q for q in self.quotes if q.polarity == polarity]

    def reports_with(self, polarity: str) -> list[Report]:
        """The reports with at least one quote of that lean."""
        return list({q.report.id: q.report for q in self.group(polarity)}.values())

    def local_authorities(self, polarity: str) -> list[str]:
        """The local authorities with a quote of that lean, alphabetically."""
        return sorted({r.local_authority for r in self.reports_with(polarity) if r.local_authority})

    def count_line(self, polarity: str) -> str:
        """A count such as "raised as an area for improvement in 9 of 31 reports since 2022"."""
        what = "raised as an area for improvement" if polarity == CONCERN else "noted as a strength"
        since = f" since {self.since}" if self.since else ""
        return f"{what} in {len(self.reports_with(polarity))} of {len(self.reports)} reports{since}"

    def to_json(self) -> dict:
        """The theme as `findings theme --json` prints it."""
        groups = {}
        for name, polarity in (("strengths", STRENGTH), ("concerns", CONCERN), ("neutral", "neutral")):
            groups[name] = {
                "reports": len(self.reports_with(polarity)),
                "local_authorities": self.local_authorities(polarity),
                "quotes": [q.to_json() for q in self.group(polarity)],
            }
            if polarity != "neutral":
                groups[name]["summary"] = self.count_line(polarity)
        return {"topic": self.topic, "since": self.since, "reports": len(self.reports), **groups}


def parse_theme_request(text: str) -> tuple[str, int | None]:
    """Split "supervision since 2022" into the topic and the year."""
    match = _SINCE.search(text)
    return (text[: match.start()].strip(), int(match.group(1))) if match else (text.strip(), None)


def _on_topic(parsed: ParsedQuery, idf: Callable[[str], float]) -> Callable[[str], bool]:
    """A test for whether a sentence names the topic: most of its (idf-weighted) words, stemmed, or of an expansion.

    "RHI" is also met by "return home interview", and "PA caseloads" by "personal adviser caseloads".
    """
    topic = parsed.text
    base = list(dict.fromkeys(tokenize(topic)))
    variants = [base] + [
        [t for t in base if t != dropped] + tokenize(expansion)
        for expansion in parsed.expansions for dropped in base
    ]
    weighted = [{t: idf(t) for t in variant} for variant in variants if variant]

    def test(text: str) -> bool:
        present = set(tokenize(text))
        return any(
            sum(w for t, w in weights.items() if t in present) >= ITEM_COVERAGE * sum(weights.values()) > 0
            for weights in weighted
        )

    return test


def _mentions(parsed: ParsedQuery, on_topic: Callable[[str], bool], knowledge: Snapshot,
              scope: set[str]) -> list[Quote]:
    """Sentences that name the topic, from the chunks keyword search ranks highest in the reports in scope."""
    found = []
    for hit in knowledge.index.search(parsed.search_text, KEYWORD_CHUNKS, knowledge.mask(scope)):
        chunk = knowledge.chunks[hit.index]
        report = knowledge.reports[chunk.report_id]
        for unit in split_sentences(chunk.text):
            text = chunk.text[unit.start : unit.end]
            if unit.kind in ("sentence", "item") and not fragment(text, unit.kind) and on_topic(text):
                start = chunk.start + unit.start
                found.append(Quote(text, report, chunk.section, start, start + len(text),
                                   quote_polarity(text, chunk.section)))
    return found


def _per_report(quotes: list[Quote]) -> list[Quote]:
    """At most PER_REPORT_KEPT quotes a report, keeping its first concern and first strength; order kept."""
    kept: dict[str, list[Quote]] = {}
    for must in (True, False):
        for quote in quotes:
            mine = kept.setdefault(quote.report.id, [])
            overlaps = any(q.start < quote.end and quote.start < q.end for q in mine)
            first_of_lean = quote.polarity != "neutral" and all(q.polarity != quote.polarity for q in mine)
            if not overlaps and len(mine) < PER_REPORT_KEPT and (first_of_lean or not must):
                mine.append(quote)
    chosen = {id(q) for qs in kept.values() for q in qs}
    return [q for q in quotes if id(q) in chosen]


def theme(topic: str, since: int | None, engine, snapshot: Snapshot | None = None) -> Theme:
    """Gather what inspectors say about a topic in reports since a year, classified strength, concern or neutral.

    Three sources, best first: passages close in meaning (the answer engine), sentences that name the topic
    (keyword search), and "What needs to improve" items that name it, which are concerns by construction. The
    topic is read once, as a question for quotes, on one snapshot (`snapshot`, or the latest).
    """
    question = engine.question(topic, Filters(since=since), snapshot=snapshot, classify=False)
    knowledge = question.snapshot
    scope = {rid for rid in knowledge.matching_reports(Filters(since=since)) if not knowledge.reports[rid].secondary}
    on_topic = _on_topic(question.parsed, knowledge.index.idf)
    excerpts = engine.passages(question, per_report=PER_REPORT, limit=LIMIT, chunks=CHUNKS)
    quotes = [Quote(e.text, e.report, e.section, e.start, e.end, quote_polarity(e.text, e.section))
              for e in excerpts if e.report.id in scope]
    quotes += _mentions(question.parsed, on_topic, knowledge, scope)
    for rid in sorted(scope, key=lambda r: knowledge.reports[r].published, reverse=True):
        report = knowledge.reports[rid]
        quotes += [quote_span(knowledge, report, span, CONCERN)
                   for span in report.structure.improvements if on_topic(span.text)]
    return Theme(topic, since, _per_report(quotes))
