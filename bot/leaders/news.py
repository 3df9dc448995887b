"""A new report as news: what it is, what it graded against the grade before, and its headline in its own words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.attribution import display_date
from bot.language.grades import OVERALL, short_name
from bot.language.reports import is_focused_visit
from bot.language.sentence import split_sentences
from bot.leaders.facts import covered
from bot.leaders.framework import framework_label, no_overall
from bot.leaders.quote import Quote, quote_span
from bot.leaders.standing import graded_reports
from bot.report import Report, Span
from bot.retrieval.knowledge import Knowledge

HEADLINE_QUOTES = 3


@dataclass(frozen=True)
class News:
    """One new report: the line that announces it, its headline quotes, and the council (for the Summary button)."""

    report: Report
    line: str
    quotes: tuple[Quote, ...]


def news_of(knowledge: Knowledge, report: Report) -> News:
    """'New Ofsted inspection of Dorset, published 9 May 2025: overall effectiveness Good (was Requires
    improvement to be good, 2021)', or 'New focused visit to Essex: <its focus>', with up to three headline quotes."""
    la, when = report.local_authority, display_date(report.published)
    if is_focused_visit(report.report_type):
        line = f"New focused visit to {la}, published {when}: {covered(report)}"
        spans = [report.structure.focus] if report.structure.focus else list(report.structure.headline)
    else:
        line = f"New Ofsted {framework_label(report)} of {la}, published {when}"
        if report.judgements.get(OVERALL):
            grade = report.judgements[OVERALL]
            earlier = [r for r in graded_reports(knowledge, la) if r.published < report.published
                       and r.judgements.get(OVERALL)]
            was = f" (was {earlier[-1].judgements[OVERALL]}, {earlier[-1].year})" if earlier else ""
            line += f": {short_name(OVERALL).lower()} {grade}{was}"
        elif no_overall(report):
            line += f": {no_overall(report)}"
        spans = list(report.structure.headline)
    return News(report, line, tuple(quote_span(knowledge, report, s) for s in _sentences(spans)[:HEADLINE_QUOTES]))


def _sentences(spans: list[Span]) -> list[Span]:
    """The spans cut into sentences, in order: a headline paragraph quotes better a sentence at a time."""
    found = []
    for span in spans:
        for unit in split_sentences(span.text):
            if unit.kind in ("sentence", "item"):
                found.append(Span(span.text[unit.start:unit.end], span.start + unit.start, span.start + unit.end))
    return found
