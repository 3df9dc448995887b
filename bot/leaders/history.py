"""What a judgement-history chart shows: each grade a council's reports give, in order, and its alt text.

The marks are read from the extracted judgements (`Report.judgements`, through `standing.grade_of`, which knows a
SIF report's names for the ILACS areas), so a chart can never show a grade the table and the quotes do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.attribution import display_date
from bot.errors import InputError
from bot.language.areas import current_areas
from bot.language.grades import GRADES, OVERALL, short_name
from bot.language.reports import is_focused_visit
from bot.leaders.framework import framework_of
from bot.leaders.standing import grade_of, graded_reports
from bot.report import Report

if TYPE_CHECKING:
    from bot.retrieval.knowledge import Knowledge

MAX_COUNCILS = 8  # more lines than this on one chart cannot be told apart, even with a marker each


@dataclass(frozen=True)
class Mark:
    """One grade on the chart: the line it belongs to (a judgement area or a council), the report and the grade."""

    line: str
    report: Report
    grade: str

    @property
    def level(self) -> int:
        """The grade's place on the ordinal axis: 0 for inadequate up to 3 for outstanding."""
        return len(GRADES) - 1 - GRADES.index(self.grade)


@dataclass(frozen=True)
class History:
    """A chart's content: its title, the lines in order, every mark, the visits on the time axis, and notes."""

    title: str
    lines: tuple[str, ...]
    marks: tuple[Mark, ...]
    visits: tuple[Report, ...] = ()
    ungraded: tuple[Report, ...] = field(default=())  # inspections that gave the charted judgement no grade
    gap: str = "No grade given"  # what an ungraded inspection lacks, in the notes and the alt text

    def key(self) -> tuple:
        """What the picture depends on, as a hashable value: equal keys draw equal charts."""
        return (self.title, self.lines, self.gap, tuple((m.line, m.report.id, m.report.published, m.grade)
                                                        for m in self.marks),
                tuple((r.id, r.published) for r in self.visits), tuple((r.id, r.published) for r in self.ungraded))

    def alt_text(self) -> str:
        """Every grade in words, line by line, then the visits: what the picture shows, for a screen reader."""
        parts = [f"{self.title}."]
        for line in self.lines:
            marks = [m for m in self.marks if m.line == line]
            if marks:
                parts.append(f"{line}: " + ", ".join(f"{m.grade} ({_when(m.report)}{_framework(m.report)})"
                                                     for m in marks) + ".")
        if self.ungraded:
            parts.append(self.note())
        if self.visits:
            parts.append("Focused visits (not graded): " + ", ".join(_when(r) for r in self.visits) + ".")
        return " ".join(parts)


    def note(self) -> str:
        """'No overall effectiveness grade: July 2026.', or '' when every inspection gave one."""
        return f"{self.gap}: " + ", ".join(self.dated(r) + _framework(r) for r in self.ungraded) + "." \
            if self.ungraded else ""

    def dated(self, report: Report) -> str:
        """When a report was published, after its council's name on a chart whose lines are councils."""
        return f"{report.local_authority} {_when(report)}" if report.local_authority in self.lines else _when(report)


def _framework(report: Report) -> str:
    """', short ILACS inspection': the framework after a date, or '' for a visit."""
    found = framework_of(report)
    return f", {found.label}" if found else ""


def _when(report: Report) -> str:
    """'May 2025': the month and year a report was published."""
    return display_date(report.published).split(" ", 1)[-1] if len(report.published) == 10 else report.published


def council_history(knowledge: Knowledge, local_authority: str) -> History:
    """One council: each judgement area's grade at each graded inspection, and its focused visits."""
    reports = graded_reports(knowledge, local_authority)
    marks = [Mark(short_name(area), g.report, g.grade) for area in (a.name for a in current_areas()) for r in reports
             if (g := grade_of(r, area, knowledge)) and g.grade in GRADES]
    ungraded = tuple(r for r in reports if not any(m.report is r for m in marks if m.line == short_name(OVERALL)))
    visits = tuple(sorted((r for r in knowledge.reports.values()
                           if r.local_authority == local_authority and is_focused_visit(r.report_type)),
                          key=lambda r: (r.published, r.id)))
    lines = tuple(dict.fromkeys(m.line for m in marks))
    return History(f"{local_authority}: Ofsted judgements over time", lines, tuple(marks), visits, ungraded,
                   f"No {short_name(OVERALL).lower()} grade")


def comparison(knowledge: Knowledge, councils: list[str], area: str = OVERALL) -> History:
    """Up to MAX_COUNCILS councils on one judgement area, each council a line."""
    named = list(dict.fromkeys(councils))
    if not named:
        raise InputError("Name the councils to compare, up to 8.")
    if len(named) > MAX_COUNCILS:
        raise InputError(f"A comparison chart shows up to {MAX_COUNCILS} councils; {len(named)} were named.")
    marks, ungraded = [], []
    for la in named:
        for report in graded_reports(knowledge, la):
            graded = grade_of(report, area, knowledge)
            if graded and graded.grade in GRADES:
                marks.append(Mark(la, report, graded.grade))
            else:
                ungraded.append(report)
    title = f"{short_name(area)}: " + ", ".join(named)
    return History(title, tuple(named), tuple(marks), (), tuple(ungraded), f"No {short_name(area).lower()} grade")
