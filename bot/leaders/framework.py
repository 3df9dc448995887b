"""The framework a graded inspection was carried out under, read from the report's own text.

Ofsted's reports do not print "short" or "standard"; they print their inspection dates and their judgement table.
Under ILACS a short inspection is one week on site and a standard one two weeks, so the printed dates tell them
apart; an ILACS report whose table has no overall effectiveness row is one of the 2026 framework, which gives no
overall grade; a SIF report is its own report type. The words for each are rows of `bot/data/frameworks.csv`.
"""

import calendar
import datetime
import functools
import re
from dataclasses import dataclass

from bot.datafiles import read_rows
from bot.language.grades import OVERALL
from bot.language.reports import ILACS, SIF, report_type
from bot.report import Report

ONE_WEEK = 7  # days from the first to the last day on site: a Monday-to-Friday week is 4, two weeks 11
_MONTHS = "|".join(calendar.month_name[1:])
# "10 to 21 July 2023", "8 October 2018 to 19 October 2018", "27 April to 1 May 2026", "11 May to 22 May 2026"
_RANGE = re.compile(rf"(\d{{1,2}})(?:\s+({_MONTHS}))?(?:\s+(\d{{4}}))?\s*(?:to|–|-|—)\s*(\d{{1,2}})\s+({_MONTHS})"
                    rf"\s+(\d{{4}})", re.IGNORECASE)


@dataclass(frozen=True)
class Framework:
    """How a graded inspection was carried out: its framework, its length and whether it grades overall."""

    key: str
    framework: str  # "SIF", "ILACS" or "2026 framework"
    length: str  # "short", "standard", or "" for a SIF or a report whose dates are not printed
    label: str  # "standard ILACS inspection"
    short: str  # "ILACS standard": for a chart's labels and a table's cell
    overall: bool  # whether the framework gives an overall effectiveness grade
    note: str  # what the framework means, in a few words

    def to_json(self) -> dict:
        """The framework as `--json` prints it."""
        return {"key": self.key, "framework": self.framework, "length": self.length, "label": self.label,
                "overall_graded": self.overall}


@functools.cache
def frameworks() -> dict[str, Framework]:
    """Every framework the table knows, by key."""
    return {row["key"]: Framework(row["key"], row["framework"], row["length"], row["label"], row["short"],
                                  row["overall"] == "yes", row["note"]) for row in read_rows("frameworks.csv")}


def days_on_site(dates: str) -> int | None:
    """Days from the first to the last day of printed inspection dates, or None when they are not a range."""
    match = _RANGE.search(" ".join(dates.split()))
    if not match:
        return None
    day1, month1, year1, day2, month2, year2 = match.groups()
    try:
        last = datetime.date(int(year2), _month(month2), int(day2))
        first = datetime.date(int(year1 or year2), _month(month1 or month2), int(day1))
    except ValueError:
        return None
    if first > last:  # "29 December to 9 January 2026": the first day is in the year before
        first = first.replace(year=first.year - 1)
    return (last - first).days


def _month(name: str) -> int:
    return [m.lower() for m in calendar.month_name].index(name.lower())


def framework_of(report: Report) -> Framework | None:
    """The framework of a graded inspection (ILACS or SIF); None for visits and other documents."""
    if report.report_type == SIF:
        return frameworks()["sif"]
    if report.report_type != ILACS:
        return None
    base = "ilacs" if OVERALL in report.judgements or not report.judgements else "ilacs2026"
    days = days_on_site(report.structure.inspection_dates or report.inspection_dates)  # the text's, when read
    length = "" if days is None else "_short" if days <= ONE_WEEK else "_standard"
    return frameworks()[base + length]


def framework_label(report: Report) -> str:
    """'standard ILACS inspection' for a graded inspection; the report type's label for anything else."""
    found = framework_of(report)
    return found.label if found else report_type(report.report_type).label


def no_overall(report: Report) -> str:
    """What stands where an overall grade would: 'no overall grade (2026 framework)', or '' if it has one."""
    found = framework_of(report)
    return f"no overall grade ({found.framework})" if found and not found.overall else ""


def grade_words(report: Report, judgement: str, grade: str) -> str:
    """A grade as a table shows it; where there is none, why: 'no overall grade (2026 framework)' or 'not graded'."""
    if grade:
        return grade
    return (no_overall(report) if judgement == OVERALL else "") or "not graded"
