"""A council beside its ten statistical neighbours: each one's latest graded inspection, every grade quoted."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import InputError
from bot.language.areas import current_areas
from bot.language.grades import GRADES, short_name
from bot.language.neighbours import neighbours
from bot.leaders.framework import framework_of
from bot.leaders.standing import Graded, grade_of, graded_reports
from bot.report import Report
from bot.retrieval.knowledge import Knowledge

JUDGEMENTS = tuple(a.name for a in current_areas())  # overall effectiveness first, as a table reads


@dataclass(frozen=True)
class Standing:
    """One council's row: its latest graded inspection and the grade it gave each judgement, with its quote."""

    local_authority: str
    asked: bool  # the council the comparison is for
    held: bool  # whether the knowledge base holds any report on it
    report: Report | None  # its latest graded inspection, if one is held
    grades: dict[str, Graded]  # judgement name → grade with the excerpt that states it

    def grade(self, judgement: str) -> str:
        """The grade given, or '' when none is held or the inspection gave none."""
        graded = self.grades.get(judgement)
        return graded.grade if graded else ""


@dataclass(frozen=True)
class Comparison:
    """A council and its statistical neighbours, closest first, on every judgement or on one."""

    local_authority: str
    judgements: tuple[str, ...]
    rows: list[Standing]

    def at_or_above(self, judgement: str) -> tuple[int, int]:
        """(how many neighbours are graded at or above the council on a judgement, how many are graded at all)."""
        own = self.rows[0].grade(judgement)
        graded = [row.grade(judgement) for row in self.rows[1:] if row.grade(judgement)]
        if not own:
            return 0, len(graded)
        return sum(GRADES.index(g) <= GRADES.index(own) for g in graded), len(graded)

    def to_json(self) -> dict:
        """Every council's grades, each with its report and the quoted row or headline that states it."""
        return {"local_authority": self.local_authority, "judgements": list(self.judgements), "councils": [
            {"local_authority": row.local_authority, "asked": row.asked, "held": row.held,
             "report": row.report.id if row.report else None,
             "report_type": row.report.report_type if row.report else None,
             "published": row.report.published if row.report else None,
             "framework": _framework_json(row.report),
             "grades": {name: {"grade": g.grade, "quote": _quote_json(g)} for name, g in row.grades.items()}}
            for row in self.rows]}


def _framework_json(report: Report | None) -> dict | None:
    found = framework_of(report) if report else None
    return found.to_json() if found else None


def _quote_json(graded: Graded) -> dict | None:
    """The words that state a grade, with their report and offsets, so they can be checked against the source."""
    e = graded.excerpt
    return {"text": e.text, "report": e.report.id, "section": e.section, "start": e.start, "end": e.end} if e else None


def _standing(knowledge: Knowledge, name: str, asked: bool, judgements: tuple[str, ...]) -> Standing:
    held = name in knowledge.local_authorities
    reports = graded_reports(knowledge, name) if held else []
    latest = reports[-1] if reports else None
    grades = {}
    for judgement in judgements if latest else ():
        graded = grade_of(latest, judgement, knowledge)
        if graded is not None:
            grades[judgement] = graded
    return Standing(name, asked, held, latest, grades)


def compare_with_neighbours(knowledge: Knowledge, local_authority: str, judgement: str | None = None) -> Comparison:
    """The council first, then its ten statistical neighbours closest first, each from its latest graded report."""
    found = neighbours(local_authority)
    if not found:
        raise InputError(f"I have no statistical neighbours listed for {local_authority}.")
    judgements = (judgement,) if judgement else JUDGEMENTS
    rows = [_standing(knowledge, local_authority, True, judgements)]
    rows += [_standing(knowledge, c.name, False, judgements) for c in found]
    return Comparison(local_authority, judgements, rows)


def count_line(comparison: Comparison, judgement: str) -> str:
    """'Care leavers: 4 of 9 neighbours with a grade are graded at or above Reading (Good).'"""
    own, name = comparison.rows[0].grade(judgement), short_name(judgement)
    at, graded = comparison.at_or_above(judgement)
    if not own:
        return f"{name}: {comparison.local_authority} has no grade for it in the reports I hold."
    asked = comparison.local_authority
    return f"{name}: {at} of {graded} neighbours with a grade are graded at or above {asked} ({own})."
