"""Grades as answers: which councils hold a grade, and one council's grades over time, each grade quoted.

Every grade shown is backed by an excerpt cut from the report that gave it: the ILACS table row, the SIF's
"Children's services in X are …" headline, or a SIF area's heading with the grade beneath it.
"""

from dataclasses import dataclass

from bot.answer import Answer, Excerpt, Filters
from bot.language.areas import areas, current_areas
from bot.language.grades import (
    GRADES,
    IN_CARE,
    IN_CARE_AND_LEAVERS,
    LEAVERS,
    NAMED_GRADE,
    OVERALL,
    full_grade,
    short_name,
)
from bot.language.groups import allowed_councils, group_words, region_of, size_of
from bot.language.reports import graded_types
from bot.leaders.framework import framework_of, no_overall
from bot.leaders.judgement_table import AREAS
from bot.leaders.quote import line_quote
from bot.report import Report
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.ranking import OVERALL as OVERALL_LINE
from bot.retrieval.ranking import judgement_areas

# A SIF report names the same judgement areas differently; its grades count for the ILACS area they match.
SIF_NAMES = {a.ilacs: a.sif for a in areas() if a.ilacs and a.sif}
# "Requires improvement to be good" is one grade, not two.
# Slack shows at most this many quotes in a list; the rest are counted and the full table is a command away.
LISTED = 12


@dataclass(frozen=True)
class Graded:
    """One report's grade for one judgement area, with the excerpt that states it."""

    report: Report
    area: str
    grade: str
    excerpt: Excerpt | None


def areas_asked(question: str) -> list[str]:
    """The canonical judgement areas a question names, overall effectiveness when it names none."""
    return list(dict.fromkeys(AREAS[a] for a in judgement_areas(question) if a in AREAS)) or [OVERALL]


def grade_of(report: Report, area: str, knowledge: Knowledge) -> Graded | None:
    """A report's grade for an area, under whichever name its framework gives it, with its quote."""
    for name in (area, SIF_NAMES.get(area, ""), IN_CARE_AND_LEAVERS if area in (IN_CARE, LEAVERS) else ""):
        if name and report.judgements.get(name):
            return Graded(report, area, report.judgements[name], _stated(report, name, knowledge))
    return None


def _stated(report: Report, name: str, knowledge: Knowledge) -> Excerpt | None:
    """The source text that states a grade: the whole table row, or a heading with the grade on the next line."""
    span = report.structure.rows.get(name)
    chunks = knowledge.by_report.get(report.id, [])
    if span is None or not chunks:
        return None
    chunk = next((c for c in chunks if c.start <= span.start < c.end), None)
    if chunk is None:
        return None
    text, at = chunk.text, span.start - chunk.start
    end = text.find("\n", at + len(span.text))
    end = len(text) if end < 0 else end
    grade = report.judgements[name].lower()
    if grade not in text[at:end].lower():  # the SIF prints the grade on the line below its label
        grade_at = text.lower().find(grade, end)
        if 0 <= grade_at - end <= 4:
            end = grade_at + len(grade)
    return line_quote(knowledge, report, chunk, at, end)


def graded_reports(knowledge: Knowledge, local_authority: str) -> list[Report]:
    """A council's graded inspections, oldest first."""
    return sorted((r for r in knowledge.reports.values() if r.local_authority == local_authority
                   and r.report_type in graded_types() and r.judgements), key=lambda r: (r.published, r.id))


def _in_years(report: Report, knowledge: Knowledge, scope: Filters, years: tuple[int, ...]) -> bool:
    held = knowledge.years.get(report.id, set())
    if years and not held & set(years) and not (scope.since or scope.until):
        return False
    return (not scope.since or any(y >= scope.since for y in held)) and (
        not scope.until or any(y <= scope.until for y in held))


def history_line(steps: list[Graded], ungraded: list[Report] = ()) -> str:
    """'Inadequate 2017 → Requires improvement to be good 2022 → no overall grade (2026 framework) 2026'."""
    dated = [(s.report.published, f"{s.grade} {s.report.year}") for s in steps]
    dated += [(r.published, f"{no_overall(r)} {r.year}") for r in ungraded]
    return " → ".join(words for _, words in sorted(dated))


def frameworks_line(reports: list[Report]) -> str:
    """'Inspections: 2015 inspection under the single inspection framework (SIF); 2026 short inspection under the
    2026 framework, no overall grade.'"""
    parts = []
    for report in reports:
        found = framework_of(report)
        if found:
            parts.append(f"{report.year} {found.label}" + ("" if found.overall else ", no overall grade"))
    return "Inspections: " + "; ".join(parts) + "." if parts else ""


def council_grades(knowledge: Knowledge, scope: Filters, question: str, years: tuple[int, ...],
                   compare: bool = False) -> Answer:
    """Each named council's judgements and their history, every grade quoted from its report.

    A question about change since a year ("has X improved since 2017?") starts the history at the grade X held
    then: its latest graded inspection before that year.
    """
    named = areas_asked(question)
    whole = named == [OVERALL]  # no area named: the whole table
    lines, excerpts = [], []
    for la in scope.local_authorities:
        graded = graded_reports(knowledge, la)
        reports = [r for r in graded if _in_years(r, knowledge, scope, years)]
        if compare and scope.since:
            before = [r for r in graded if r not in reports and max(knowledge.years.get(r.id) or {0}) < scope.since]
            reports = before[-1:] + reports
        if not reports:
            lines.append(f"{la}: no graded inspection" + (" in the years asked about" if years or scope.since
                                                            else " among the reports I hold") + ".")
            continue
        # The overall grade frames any area's; it is shown first unless the question names only areas' grades.
        shown = [a.name for a in current_areas()] if whole else [OVERALL, *named]
        lines.append(f"{la}, graded inspections {reports[0].year}–{reports[-1].year}:" if len(reports) > 1
                     else f"{la}, graded inspection {reports[0].year}:")
        lines.append(frameworks_line(reports))
        for area in shown:
            steps = [g for g in (grade_of(r, area, knowledge) for r in reports) if g]
            # Where a framework gives no overall grade, the line says so rather than skipping the inspection.
            ungraded = [r for r in reports if no_overall(r)] if area == OVERALL else []
            if steps or ungraded:
                lines.append(f"{short_name(area)}: {history_line(steps, ungraded)}")
                excerpts += [s.excerpt for s in reversed(steps) if s.excerpt]
    if not excerpts:
        return Answer(False, " ".join(lines) or "I hold no graded inspection for that.", scope=scope, route="grades")
    # The areas asked about first, newest report first within each; the overall grade after them.
    unique = list({(e.report.id, e.start): e for e in excerpts}.values())
    asked = [e for e in unique if whole or not _states_overall(e)]
    rest = [e for e in unique if e not in asked]
    return Answer(True, "\n".join(lines), (asked + rest)[:LISTED * 2], scope, route="grades")


def _states_overall(excerpt: Excerpt) -> bool:
    return bool(OVERALL_LINE.match(excerpt.text)) or excerpt.text.startswith("The overall judgement")


def latest_in_scope(knowledge: Knowledge, scope: Filters, years: tuple[int, ...]) -> dict[str, Report]:
    """Each council's latest graded inspection within the years and regions asked about."""
    allowed = allowed_councils(scope)
    latest: dict[str, Report] = {}
    for report in sorted(knowledge.reports.values(), key=lambda r: (r.published, r.id)):
        la = report.local_authority
        if report.report_type not in graded_types() or not report.judgements or not la or \
                (allowed is not None and la not in allowed):
            continue
        if _in_years(report, knowledge, scope, years):
            latest[la] = report
    return latest


def grades_named(question: str) -> list[str]:
    """The grades a question names, in Ofsted's wording ("RI" is requires improvement to be good)."""
    return list(dict.fromkeys(full_grade(m.group(1)) for m in NAMED_GRADE.finditer(question)))


def _listed(graded: Graded, show_grade: bool) -> str:
    """'Dorset (Outstanding, short ILACS inspection 2025 · South West · medium council)': a council in a list."""
    report = graded.report
    found = framework_of(report)
    inspection = f"{found.label if found else 'inspection'} {report.year}"
    where = [region_of().get(report.local_authority, ""), f"{size} council" if (size := size_of(report.local_authority))
             else ""]
    parts = [", ".join(x for x in (graded.grade if show_grade else "", inspection) if x), *(x for x in where if x)]
    return f"{report.local_authority} ({' · '.join(parts)})"


def grades_across(knowledge: Knowledge, scope: Filters, question: str, years: tuple[int, ...]) -> Answer:
    """Councils whose latest graded inspection (in the years asked) gave an area a grade, each row quoted."""
    area = areas_asked(question)[0]
    wanted = grades_named(question)
    command = " ".join([short_name(area).lower(), *(g.lower() for g in wanted[:1])])
    latest = latest_in_scope(knowledge, scope, years)
    found = [g for g in (grade_of(r, area, knowledge) for r in latest.values())
             if g and (not wanted or g.grade in wanted)]
    found.sort(key=lambda g: (GRADES.index(g.grade) if g.grade in GRADES else 9, g.report.local_authority))
    where = group_words(scope)
    group = allowed_councils(scope)
    when = " (latest graded inspection each)" if not (years or scope.since or scope.until) else ""
    what = f"{short_name(area)}" + (f" judged {' or '.join(wanted)}" if wanted else "")
    if not found:
        return Answer(False, f"No council{where} has {what.lower()} at its latest graded inspection in the reports "
                             f"I hold.", scope=scope, route="grades_list")
    names = "; ".join(_listed(g, show_grade=not wanted or len(wanted) > 1) for g in found)
    lines = [f"{what}{where}: {len(found)} council{'s' * (len(found) != 1)}{when}.", names]
    if group is not None and (scope.neighbours_of or scope.size):
        whose = (f"{scope.neighbours_of}'s {len(group)} statistical neighbours" if scope.neighbours_of
                 and not (scope.size or scope.regions) else f"the {len(group)} councils{where}")
        lines.append(f"Of {whose}, {len(latest)} have a graded inspection I hold.")
    shown = [g.excerpt for g in found if g.excerpt][:LISTED]
    if len(found) > len(shown):
        lines.append(f"Quoting the first {len(shown)}, and {len(found) - len(shown)} more: the whole table is "
                     f"`/findings judgements {command}`.")
    return Answer(True, "\n".join(lines), shown, scope, route="grades_list")
