"""Tests for the judgement table, on a real store of 12 reports."""

import pytest

from bot.errors import InputError
from bot.language.grades import HELP, IN_CARE_AND_LEAVERS, LEADERS, LEAVERS, OVERALL
from bot.leaders.judgement_table import judgement_table, parse_request, resolve_judgement


def test_default_is_each_las_latest_overall_grade_newest_first(leaders_knowledge) -> None:
    """One row per LA with a graded ILACS, from its latest one; a 2026 report with no overall grade shows blank."""
    rows = judgement_table(leaders_knowledge)
    assert [(r.local_authority, r.grade, r.report.id) for r in rows] == [
        ("Liverpool", "", "liverpool-ilacs-2026-07-07"),
        ("Norfolk", "Outstanding", "norfolk-ilacs-2026-05-18"),
        ("Herefordshire", "Good", "herefordshire-ilacs-2026-01-12"),
        ("Barnsley", "Good", "barnsley-ilacs-2018-11-19"),
    ]


def test_a_grade_filter_leaves_out_reports_without_that_grade(leaders_knowledge) -> None:
    """Asking for overall Good lists Herefordshire and Barnsley only, never a 2026 report with no overall grade."""
    rows = judgement_table(leaders_knowledge, OVERALL, "good")
    assert [r.local_authority for r in rows] == ["Herefordshire", "Barnsley"]


def test_care_leavers_uses_the_2018_19_combined_grade_and_says_so(leaders_knowledge) -> None:
    """For care leavers, Barnsley's 2018 grade comes from the combined children in care and care leavers row."""
    rows = {r.local_authority: r for r in judgement_table(leaders_knowledge, "care leavers")}
    assert rows["Barnsley"].judgement == IN_CARE_AND_LEAVERS and rows["Barnsley"].grade == "Good"
    assert rows["Liverpool"].judgement == LEAVERS and rows["Liverpool"].grade == "Requires improvement to be good"
    assert rows["Norfolk"].grade == "Outstanding"
    outstanding = judgement_table(leaders_knowledge, "care leavers", "Outstanding")
    assert [r.local_authority for r in outstanding] == ["Norfolk"]


def test_rows_quote_the_reports_own_wording_of_the_judgement(leaders_knowledge) -> None:
    """Each row carries the judgement's label as printed, cut from its report, with the report id in its JSON."""
    for row in judgement_table(leaders_knowledge, "leaders"):
        assert row.judgement == LEADERS and row.label is not None
        payload = row.to_json()
        assert payload["report"] == payload["label"]["report"] == row.report.id
        assert payload["label"]["text"] == row.label.text and row.label.text.startswith("The impact of leaders on")


def test_requests_are_read_as_judgement_and_grade() -> None:
    """"care leavers outstanding", "RI" and "help and protection" parse; an unknown judgement is refused."""
    assert parse_request("care leavers outstanding") == (LEAVERS, "Outstanding")
    assert parse_request("RI") == (OVERALL, "Requires improvement to be good")
    assert parse_request("help and protection") == (HELP, None)
    assert parse_request("") == (OVERALL, None)
    assert resolve_judgement("leadership") == LEADERS
    with pytest.raises(InputError, match="I don't know a judgement called “adoption”"):
        parse_request("adoption good")
