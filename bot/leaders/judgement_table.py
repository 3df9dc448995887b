"""Which local authorities hold which grade: each LA's latest graded ILACS judgements, as a table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import InputError
from bot.language.areas import OVERALL_KEY, areas, current_areas
from bot.language.grades import (
    IN_CARE,
    IN_CARE_AND_LEAVERS,
    LEAVERS,
    NAMED_GRADE,
    OVERALL,
    canonical_judgement,
    full_grade,
    normalise_grade,
)
from bot.language.reports import ILACS
from bot.leaders.framework import framework_of
from bot.leaders.quote import Quote, quote_span
from bot.report import Report
from bot.retrieval.ranking import judgement_areas

if TYPE_CHECKING:
    from bot.retrieval.knowledge import Knowledge

# judgement_areas() names areas by their key; these are the canonical names of today's judgements.
AREAS = {a.key: a.name for a in current_areas()}


@dataclass(frozen=True)
class JudgementRow:
    """One local authority's grade for one judgement, from the report that gave it."""

    local_authority: str
    report: Report
    judgement: str  # the canonical name of the judgement the grade is for, as that report's layout has it
    grade: str  # '' when the report gives no grade for it, such as a 2026 report's overall effectiveness
    label: Quote | None  # the report's own wording of the judgement

    def to_json(self) -> dict:
        """The row, with the report's wording of the judgement (when it prints one) as a checkable quote."""
        return {"local_authority": self.local_authority, "judgement": self.judgement, "grade": self.grade,
                "report": self.report.id, "published": self.report.published, "url": self.report.url,
                "framework": found.to_json() if (found := framework_of(self.report)) else None,
                "label": self.label.to_json() if self.label else None}


@dataclass(frozen=True)
class JudgementTable:
    """The rows of one judgement (and grade, if one was asked) across councils, newest report first."""

    judgement: str
    grade: str | None
    rows: list[JudgementRow]

    def only(self, councils: list[str]) -> JudgementTable:
        """The same table with only these councils' rows."""
        return JudgementTable(self.judgement, self.grade, [r for r in self.rows if r.local_authority in councils])

    def to_json(self) -> list[dict]:
        """The rows, each with its checkable quote."""
        return [row.to_json() for row in self.rows]


def resolve_judgement(text: str) -> str:
    """The canonical judgement a user means ("care leavers", "leadership", "overall"), or an InputError."""
    canonical = canonical_judgement(text)
    if canonical in AREAS.values():
        return canonical
    found = judgement_areas(text)
    if text.strip() and found == (OVERALL_KEY,) and "overall" not in text.lower():
        known = [a.key for a in areas() if a.current]  # the table's row order: overall effectiveness last
        raise InputError(f"I don't know a judgement called “{text.strip()}”: try {', '.join(known[:-1])} or "
                         f"{known[-1]}.")
    return AREAS[found[0]]


def parse_request(text: str) -> tuple[str, str | None]:
    """Split "care leavers outstanding" into a canonical judgement and a grade; overall when none is named."""
    grades = NAMED_GRADE.findall(text)
    grade = full_grade(grades[-1]) if grades else None
    rest = " ".join(NAMED_GRADE.sub(" ", text).split())
    return (resolve_judgement(rest) if rest else OVERALL), grade


def latest_graded(knowledge: Knowledge) -> dict[str, Report]:
    """Each local authority's latest ILACS report that has a judgement table."""
    latest: dict[str, Report] = {}
    for report in sorted(knowledge.reports.values(), key=lambda r: (r.published, r.id)):
        if report.report_type == ILACS and report.judgements and report.local_authority:
            latest[report.local_authority] = report
    return latest


def judgement_table(knowledge: Knowledge, judgement: str | None = None, grade: str | None = None) -> list[JudgementRow]:
    """Each LA's latest graded ILACS grade for one judgement (default overall), optionally only one grade.

    Newest report first. A 2018–19 report grades children in care and care leavers together; that grade answers
    for either. A report with no overall grade (from 2026) is listed with a blank grade unless a grade is asked for.
    """
    name = resolve_judgement(judgement) if judgement else OVERALL
    wanted = normalise_grade(grade) if grade else None
    rows: list[JudgementRow] = []
    for la, report in latest_graded(knowledge).items():
        found = name
        if name not in report.judgements and name in (IN_CARE, LEAVERS) and IN_CARE_AND_LEAVERS in report.judgements:
            found = IN_CARE_AND_LEAVERS
        given = report.judgements.get(found, "")
        if (wanted and given != wanted) or (not given and name != OVERALL):
            continue
        span = report.structure.rows.get(found)
        rows.append(JudgementRow(la, report, found, given, quote_span(knowledge, report, span) if span else None))
    rows.sort(key=lambda row: row.local_authority)
    return sorted(rows, key=lambda row: row.report.published, reverse=True)  # stable: LAs stay in order per date
