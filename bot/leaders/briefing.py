"""A director's briefing on one local authority, built only from what its reports say and grade."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import zip_longest

from bot import messages
from bot.errors import InputError
from bot.language.grades import IN_CARE, IN_CARE_AND_LEAVERS, LEAVERS, OVERALL
from bot.language.reports import FOCUSED_VISIT, ILACS, graded_types, is_focused_visit
from bot.language.sentence import LEANS_BACK, split_sentences
from bot.leaders.framework import framework_of
from bot.leaders.lean import PICK, Lean, load_lean
from bot.leaders.quote import Quote, quote_span, section_at
from bot.report import Report
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.polarity import CONCERN, STRENGTH
from bot.retrieval.query import parse_query

PER_SIDE = 4  # strengths and concerns each; a director reads eight sentences, not eighty
# Sections where inspectors give their findings, in the order a reader meets them.
FINDINGS_SECTION = re.compile(r"^(The (experiences|impact)\b|(Main |Inspection )?findings\b|Executive summary)", re.I)
MIN_WORDS, MAX_WORDS = 6, 70


@dataclass(frozen=True)
class Judgement:
    """One judgement of the latest inspection: its canonical name, grade, and the report's own wording."""

    name: str
    grade: str
    label: Quote | None

    def to_json(self) -> dict:
        """The judgement and grade, with the report's wording of it as a checkable quote."""
        return {"judgement": self.name, "grade": self.grade, "label": self.label.to_json() if self.label else None}


@dataclass(frozen=True)
class Step:
    """One graded inspection in a local authority's history."""

    report: Report
    grade: str  # '' when the report gives no grade for the judgement, such as a 2026 overall

    def to_json(self) -> dict:
        """The step as report id, date, type and grade."""
        r = self.report
        return {"report": r.id, "published": r.published, "report_type": r.report_type, "grade": self.grade}


@dataclass(frozen=True)
class Briefing:
    """Where a local authority stands: latest grades, history, what to improve, strengths, concerns, latest visit."""

    local_authority: str
    latest: Report | None
    judgements: list[Judgement] = field(default_factory=list)
    history: list[Report] = field(default_factory=list)  # graded inspections, oldest first
    improvements: list[Quote] = field(default_factory=list)
    strengths: list[Quote] = field(default_factory=list)
    concerns: list[Quote] = field(default_factory=list)
    focused_visit: Report | None = None
    focus: Quote | None = None
    visit_improvements: list[Quote] = field(default_factory=list)

    def trail(self, name: str = OVERALL) -> list[Step]:
        """A judgement across inspections, oldest first; a 2018–19 combined grade stands in for its two parts."""
        steps = []
        for report in self.history:
            grade = report.judgements.get(name, "")
            if not grade and name in (IN_CARE, LEAVERS):
                grade = report.judgements.get(IN_CARE_AND_LEAVERS, "")
            if grade or (name == OVERALL and report.report_type == ILACS):
                steps.append(Step(report, grade))
        return steps

    def to_json(self) -> dict:
        """The briefing as `findings summary --json` prints it."""
        names = [OVERALL, *(j.name for j in self.judgements if j.name != OVERALL)]
        visit = self.focused_visit
        return {
            "local_authority": self.local_authority,
            "latest": _report_json(self.latest) if self.latest else None,
            "judgements": [j.to_json() for j in self.judgements],
            "history": {name: [s.to_json() for s in self.trail(name)] for name in names},
            "improvements": [q.to_json() for q in self.improvements],
            "strengths": [q.to_json() for q in self.strengths],
            "concerns": [q.to_json() for q in self.concerns],
            FOCUSED_VISIT: {
                **_report_json(visit),
                "focus": self.focus.to_json() if self.focus else None,
                "improvements": [q.to_json() for q in self.visit_improvements],
            } if visit else None,
        }


def _report_json(report: Report) -> dict:
    found = framework_of(report)
    return {"report": report.id, "title": report.title, "report_type": report.report_type,
            "framework": found.to_json() if found else None,
            "published": report.published, "inspection_dates": report.inspection_dates, "url": report.url}


def find_local_authority(name: str, known: set[str]) -> str:
    """The canonical name of the LA a user typed ("BCP", "Stoke"), or an InputError saying there are no reports."""
    named = [la for la in parse_query(name).local_authorities or (name.strip(),) if la]
    present = [la for la in named if la in known]
    if len(present) > 1:
        raise InputError(f"{name} could mean {' or '.join(present)}: say which.")
    if not present:
        raise InputError(messages.no_reports_for(named or [name], len(known)))
    return present[0]


def _quote(report: Report, section: str, start: int, text: str) -> Quote:
    return Quote(text, report, section, start, start + len(text), "")  # its lean is the classifier's, when read


def _sentences(knowledge: Knowledge, report: Report) -> list[list[Quote]]:
    """Candidate sentences for strengths and concerns: the headline first, then each findings section in turn."""
    headline = [
        _quote(report, section_at(knowledge, report.id, span.start), span.start + u.start, span.text[u.start : u.end])
        for span in report.structure.headline
        for u in split_sentences(span.text)
        if u.kind in ("sentence", "item")
    ]
    seen = {q.start for q in headline}
    by_section: dict[str, list[Quote]] = {}
    for chunk in knowledge.by_report.get(report.id, []):
        if FINDINGS_SECTION.match(chunk.section.split(" > ")[-1]):
            by_section.setdefault(chunk.section, []).extend(
                _quote(report, chunk.section, chunk.start + u.start, chunk.text[u.start : u.end])
                for u in split_sentences(chunk.text)
                if u.kind in ("sentence", "item") and chunk.start + u.start not in seen
            )
    # Round-robin over sections, so each judgement area gets its opening sentences in before any gets its fifth.
    groups = [headline, *([q for q in row if q] for row in zip_longest(*by_section.values()))]
    return [[q for q in group if standalone(q.text) and not knowledge.stock_share(q.text)]
            for group in groups]


def standalone(text: str) -> bool:
    """A sentence a director can read on its own: not a fragment, not a pronoun leaning on the last sentence."""
    words = len(text.split())
    return MIN_WORDS <= words <= MAX_WORDS and not LEANS_BACK.match(text) and text.rstrip()[-1:] in ".!?”’)"


def _pick(groups: list[list[Quote]], lean: Lean, exclude: set[str]) -> tuple[list[Quote], list[Quote]]:
    """Up to PER_SIDE strengths and concerns, headline first, each one the classifier is sure of (PICK), never
    repeating an improvement item. Groups are read in turn until both sides are full, so a briefing classifies
    tens of sentences, not the report's hundreds."""
    found: dict[str, list[Quote]] = {STRENGTH: [], CONCERN: []}
    for group in groups:
        if all(len(side) >= PER_SIDE for side in found.values()):
            break
        fresh = [q for q in group if q.text not in exclude]
        if not fresh:
            continue
        for quote, chances in zip(fresh, lean.probabilities([q.text for q in fresh]), strict=True):
            for side, chance in zip((STRENGTH, CONCERN), chances[:2], strict=True):  # LABELS' first two
                if chance >= PICK and len(found[side]) < PER_SIDE and quote.text not in exclude:
                    found[side].append(replace(quote, polarity=side))
                    exclude.add(quote.text)  # reports repeat a headline sentence in the section it sums up
    return found[STRENGTH], found[CONCERN]


def brief(local_authority: str, knowledge: Knowledge, lean: Lean | None = None) -> Briefing:
    """Build the briefing for one local authority (its canonical name) from the knowledge base; `lean` sorts its
    strengths from its concerns (the shipped classifier unless another is given)."""
    reports = sorted(
        (r for r in knowledge.reports.values() if r.local_authority == local_authority and not r.secondary),
        key=lambda r: (r.published, r.id),
    )
    if not reports:
        raise InputError(messages.no_reports_for([local_authority], len(knowledge.local_authorities)))
    history = [r for r in reports if r.report_type in graded_types() and r.judgements]
    latest = history[-1] if history else None
    visits = [r for r in reports if is_focused_visit(r.report_type)]
    visit = visits[-1] if visits else None
    source = latest or reports[-1]
    judgements = [
        Judgement(name, grade, quote_span(knowledge, latest, latest.structure.rows[name])
                  if name in latest.structure.rows else None)
        for name, grade in latest.judgements.items()
    ] if latest else []
    improvements = [quote_span(knowledge, source, s, CONCERN) for s in source.structure.improvements]
    strengths, concerns = _pick(_sentences(knowledge, source), lean or load_lean(), {q.text for q in improvements})
    return Briefing(
        local_authority=local_authority,
        latest=latest,
        judgements=judgements,
        history=history,
        improvements=improvements,
        strengths=strengths,
        concerns=concerns,
        focused_visit=visit,
        focus=quote_span(knowledge, visit, visit.structure.focus) if visit and visit.structure.focus else None,
        # A visit's list is superseded by a later inspection's; quoting both would bury the current one.
        visit_improvements=[quote_span(knowledge, visit, s, CONCERN) for s in visit.structure.improvements]
        if visit and (not latest or visit.published > latest.published) else [],
    )
