"""The framework of a graded inspection, read from its printed dates and its judgement table."""

import pytest

from bot.language.grades import OVERALL
from bot.leaders.framework import days_on_site, framework_label, framework_of, grade_words, no_overall
from bot.report import Report, Structure


def _report(kind: str, dates: str, judgements: dict[str, str]) -> Report:
    return Report("x", "Inspection of X", "X", kind, "Ofsted", "2026-01-01", judgements=judgements,
                  structure=Structure(judgements=judgements, inspection_dates=dates))


@pytest.mark.parametrize(("dates", "days"), [
    ("10 to 21 July 2023", 11), ("8 October 2018 to 19 October 2018", 11), ("27 April to 1 May 2026", 4),
    ("11 May to 22 May 2026", 11), ("29 December 2025 to 2 January 2026", 4), ("29 December to 2 January 2026", 4),
    ("11 to 13 July 2023", 2), ("17 April 2018", None), ("", None),
])
def test_days_on_site_are_read_from_the_printed_range(dates, days):
    """Every way Ofsted prints a range gives the days from first to last; a single day or none gives None."""
    assert days_on_site(dates) == days


def test_one_week_on_site_is_a_short_inspection_and_two_weeks_a_standard_one():
    """An ILACS report's length comes from its dates, and a SIF report is the SIF whatever its dates."""
    graded = {OVERALL: "Good"}
    assert framework_of(_report("ilacs_inspection", "10 to 14 June 2024", graded)).key == "ilacs_short"
    assert framework_of(_report("ilacs_inspection", "10 to 21 June 2024", graded)).key == "ilacs_standard"
    assert framework_of(_report("sif_inspection", "6 July 2015 to 30 July 2015", graded)).key == "sif"
    assert framework_label(_report("ilacs_inspection", "10 to 21 June 2024", graded)) == "standard ILACS inspection"


def test_an_ilacs_table_without_an_overall_row_is_the_2026_framework_and_says_so():
    """No overall effectiveness row makes it the 2026 framework; where the overall grade would stand, it says why."""
    report = _report("ilacs_inspection", "8 to 19 June 2026", {"The experiences and progress of care leavers": "Good"})
    found = framework_of(report)
    assert found.key == "ilacs2026_standard" and not found.overall
    assert no_overall(report) == "no overall grade (2026 framework)"
    assert grade_words(report, OVERALL, "") == "no overall grade (2026 framework)"
    assert grade_words(report, "The experiences and progress of care leavers", "") == "not graded"
    graded = _report("ilacs_inspection", "8 to 19 June 2026", {OVERALL: "Good"})
    assert no_overall(graded) == "" and grade_words(graded, OVERALL, "Good") == "Good"


def test_visits_have_no_framework_and_keep_their_own_label():
    """A focused visit is not a graded inspection: no framework, and its label is the report type's."""
    visit = _report("focused_visit", "3 to 4 March 2025", {})
    assert framework_of(visit) is None and framework_label(visit) == "focused visit"


def test_undated_ilacs_is_still_placed_in_its_framework():
    """An ILACS report whose dates are not a range is an ILACS inspection of unknown length, never unknown."""
    found = framework_of(_report("ilacs_inspection", "", {OVERALL: "Good"}))
    assert found.framework == "ILACS" and found.length == ""
