"""Report facts and lists as answers: lead inspector, dates, what a visit covered, what is held, what to improve.

Facts come from the catalogue and from what ingest extracted (`Report`, `Structure`); wherever the report's own
text states the fact, that line is the excerpt, so the answer can be checked against the report like a quote.
"""

import functools
import re

from bot.answer import Answer, Excerpt, Filters
from bot.attribution import display_date
from bot.datafiles import read_rows
from bot.leaders.framework import framework_label, framework_of
from bot.leaders.quote import line_quote, quote_span
from bot.report import Report
from bot.retrieval.knowledge import Knowledge

IMPROVEMENT_ITEMS = 12
_FOCUS_AREA = re.compile(r"arrangements (?:for|in relation to|relating to)\s+(.+?)(?:[.:]|$)", re.IGNORECASE)


@functools.cache
def _cues() -> list[tuple[re.Pattern[str], str, int]]:
    rows = read_rows("fact_cues.csv")
    return [(re.compile(r"\b" + r"\s+".join(map(re.escape, r["phrase"].split())) + r"\b", re.IGNORECASE),
             r["fact"], len(r["phrase"])) for r in rows]


def fact_asked(question: str) -> str:
    """Which fact a question asks for, by the longest phrase of the cue table it uses; what is held if none."""
    found = [(length, fact) for pattern, fact, length in _cues() if pattern.search(question)]
    return max(found)[1] if found else "held"


def label(report: Report) -> str:
    """'focused visit, 22 November 2021' or 'short ILACS inspection, 9 May 2025'."""
    return f"{framework_label(report)}, {display_date(report.published)}"


def covered(report: Report) -> str:
    """What a report covered, in a few words: a visit's focus, or an inspection's judgement areas."""
    focus = report.structure.focus
    if focus:
        match = _FOCUS_AREA.search(focus.text)
        words = (match.group(1) if match else focus.text).split()
        return " ".join(words[:14]).rstrip(" ,;") + ("…" if len(words) > 14 else "")
    if report.judgements:
        return "every judgement area"
    return framework_label(report)


def holdings(knowledge: Knowledge, local_authority: str) -> list[Report]:
    """A council's Ofsted reports, oldest first."""
    return sorted((r for r in knowledge.reports.values() if r.local_authority == local_authority and not r.secondary),
                  key=lambda r: (r.published, r.id))


def held_line(knowledge: Knowledge, local_authority: str) -> str:
    """'Essex: focused visit 2021 (care leavers), focused visit 2025 (pre-proceedings)'."""
    parts = [f"{framework_label(r)} {r.year} ({covered(r)})"
             for r in holdings(knowledge, local_authority)]
    return f"{local_authority}: " + ", ".join(parts)


def latest_line(knowledge: Knowledge, scope: Filters) -> str:
    """'The latest report I hold on Dorset is the short ILACS inspection, 9 May 2025.' for "the latest" questions,
    so a reader knows how current the quotes are."""
    held = holdings(knowledge, scope.local_authorities[0]) if scope.local_authorities else []
    return f"The latest report I hold on {held[-1].local_authority} is the {label(held[-1])}." if held else ""


def line_stating(knowledge: Knowledge, report: Report, needle: str) -> Excerpt | None:
    """The line of a report's text that contains `needle`, as an excerpt cut by offsets."""
    if not needle:
        return None
    for chunk in knowledge.by_report.get(report.id, []):
        at = chunk.text.find(needle)
        if at >= 0:
            return line_quote(knowledge, report, chunk, at, at + len(needle))
    return None


def _chosen(knowledge: Knowledge, scope: Filters, years: tuple[int, ...]) -> list[Report]:
    """The council's reports that fit the filters and years, newest first."""
    ids = knowledge.matching_reports(scope)
    reports = [knowledge.reports[rid] for rid in ids if not knowledge.reports[rid].secondary]
    if years:
        reports = [r for r in reports if knowledge.years.get(r.id, set()) & set(years)] or []
    return sorted(reports, key=lambda r: (r.published, r.id), reverse=True)


def report_facts(knowledge: Knowledge, scope: Filters, question: str, years: tuple[int, ...]) -> Answer:
    """The fact asked about a council's report (the latest unless a year or kind is named), with its source line."""
    fact = fact_asked(question)
    la = scope.local_authorities[0]
    if fact == "held":
        held = holdings(knowledge, la)
        lines = [f"I hold {len(held)} Ofsted report{'s' * (len(held) != 1)} for {la}:"]
        lines += [f"• {label(r)}: {covered(r)}" for r in held]
        focus = [quote_span(knowledge, r, r.structure.focus).excerpt() for r in held if r.structure.focus]
        return Answer(True, "\n".join(lines), focus, scope, route="facts")
    chosen = _chosen(knowledge, scope, years)
    if not chosen:
        return Answer(False, f"I hold no report for {la} that fits. {held_line(knowledge, la)}.", scope=scope,
                      route="facts")
    report = chosen[0]
    title = f"{report.title} ({label(report)})"
    if fact == "lead_inspector":
        name = report.lead_inspector
        text = f"{title}: the lead inspector was {name}." if name else f"{title} does not name a lead inspector."
        excerpt = line_stating(knowledge, report, name)
    elif fact == "published":
        text, excerpt = f"{title} was published on {display_date(report.published)}.", None
    elif fact == "focus":
        focus = report.structure.focus
        text = f"{title} looked at {covered(report)}." if focus or report.judgements else f"{title}."
        excerpt = quote_span(knowledge, report, focus).excerpt() if focus else None
    elif fact == "framework":
        text, excerpt = framework_fact(knowledge, report)
    else:
        dates = report.inspection_dates
        text = f"{title}: inspectors were on site {dates}." if dates else f"{title} gives no inspection dates."
        excerpt = line_stating(knowledge, report, dates)
    return Answer(True, text, [excerpt] if excerpt else [], scope, route="facts")


def framework_fact(knowledge: Knowledge, report: Report) -> tuple[str, Excerpt | None]:
    """Which framework an inspection was under and what that means, with the printed dates it is read from."""
    found = framework_of(report)
    title = f"{report.title} ({display_date(report.published)})"
    if found is None:
        return f"{title} is a {framework_label(report)}, not a graded inspection.", None
    dates = report.structure.inspection_dates or report.inspection_dates
    on_site = f" Inspectors were on site {dates}." if dates else ""
    return f"{title} was a {found.label}: {found.note}.{on_site}", line_stating(knowledge, report, dates)


def improvement_list(knowledge: Knowledge, scope: Filters, years: tuple[int, ...],
                     ranked: list[Excerpt] = ()) -> Answer | None:
    """What the latest report in scope (or the year's) said needs to improve, item by item; None if none lists it.

    `ranked` is the quotes path's answer to the same question: when it quoted items of one report's list (the
    question named a topic, "were PLO letters one of them?"), that report's list is given, those items first.
    """
    chosen = _chosen(knowledge, scope, years)
    listed = {(r.id, s.start): r for r in chosen for s in r.structure.improvements}
    first = [e for e in ranked if (e.report.id, e.start) in listed]
    if first:
        chosen = [first[0].report]
    for report in chosen:
        items = report.structure.improvements
        if items:
            starts = [e.start for e in first if e.report.id == report.id]
            order = sorted(items, key=lambda s: starts.index(s.start) if s.start in starts else len(starts))
            excerpts = [quote_span(knowledge, report, span).excerpt() for span in order[:IMPROVEMENT_ITEMS]]
            more = len(items) - len(excerpts)
            reason = (f"What {report.local_authority} was told to improve: {report.title} ({label(report)}), "
                      f"{len(items)} item{'s' * (len(items) != 1)}" + (f", the first {len(excerpts)} shown" if more
                                                                       else "") + ".")
            return Answer(True, reason, excerpts, scope, route="improvement")
    return None
