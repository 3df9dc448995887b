"""Tests for what a judgement-history chart shows, on the real store of 12 reports."""

import pytest

from bot.errors import InputError
from bot.language.areas import current_areas
from bot.language.grades import GRADES, LEAVERS, OVERALL, short_name
from bot.leaders.history import MAX_COUNCILS, comparison, council_history
from bot.leaders.standing import grade_of, graded_reports


def test_every_mark_is_an_extracted_judgement_and_every_judgement_is_marked(leaders_knowledge) -> None:
    """For each council, the marks are exactly the grades its reports' extracted judgements give, area by area."""
    for la in ("Herefordshire", "Liverpool", "Barnsley", "Norfolk"):
        history = council_history(leaders_knowledge, la)
        marked = {(m.line, m.report.id, m.grade) for m in history.marks}
        names = [a.name for a in current_areas()]
        expected = {(short_name(area), r.id, g.grade) for r in graded_reports(leaders_knowledge, la) for area in names
                    if (g := grade_of(r, area, leaders_knowledge)) and g.grade in GRADES}
        assert marked == expected and marked, la
        assert all(m.grade in m.report.judgements.values() for m in history.marks)


def test_alt_text_lists_every_grade_and_what_was_not_graded(leaders_knowledge) -> None:
    """The alt text names each line's grades in order with each inspection's framework, Liverpool's 2026 inspection
    without an overall grade, and Herefordshire's focused visit."""
    liverpool = council_history(leaders_knowledge, "Liverpool")
    alt = liverpool.alt_text()
    assert alt.startswith("Liverpool: Ofsted judgements over time.")
    assert "Overall effectiveness: Inadequate (May 2023, standard ILACS inspection)." in alt
    assert ("Care leavers: Inadequate (May 2023, standard ILACS inspection), Requires improvement to be good "
            "(July 2026, standard inspection under the 2026 framework).") in alt
    assert alt.endswith("No overall effectiveness grade: July 2026, standard inspection under the 2026 framework.")
    assert [r.id for r in liverpool.ungraded] == ["liverpool-ilacs-2026-07-07"]
    herefordshire = council_history(leaders_knowledge, "Herefordshire")
    assert ("Overall effectiveness: Inadequate (September 2022, standard ILACS inspection), Good (January 2026, "
            "standard ILACS inspection).") in herefordshire.alt_text()
    assert [r.id for r in herefordshire.visits] == ["herefordshire-focused-visit-2020-01-21"]
    assert "Focused visits (not graded): January 2020." in herefordshire.alt_text()
    for history in (liverpool, herefordshire):  # every mark is in the words, under its line
        for mark in history.marks:
            line = next(part for part in history.alt_text().split(". ") if part.startswith(f"{mark.line}: "))
            assert mark.grade in line


def test_a_sif_report_counts_under_the_ilacs_areas(leaders_knowledge) -> None:
    """Barnsley's 2014 SIF grades its areas under other names; the chart puts them on the ILACS lines."""
    history = council_history(leaders_knowledge, "Barnsley")
    sif = [m for m in history.marks if m.report.report_type == "sif_inspection"]
    assert {m.line for m in sif} >= {short_name(OVERALL), short_name(LEAVERS)}


def test_a_council_with_only_visits_has_no_marks_but_its_visits(leaders_knowledge) -> None:
    """Essex has focused visits only: nothing graded to draw, the visits still on the time axis."""
    history = council_history(leaders_knowledge, "Essex")
    assert history.marks == () and history.visits and "Focused visits (not graded)" in history.alt_text()


def test_comparison_puts_each_council_on_one_judgement(leaders_knowledge) -> None:
    """Comparing care leavers across three councils gives one line per council, each mark that council's grade."""
    history = comparison(leaders_knowledge, ["Liverpool", "Herefordshire", "Norfolk"], LEAVERS)
    assert history.lines == ("Liverpool", "Herefordshire", "Norfolk")
    for mark in history.marks:
        assert mark.report.local_authority == mark.line
        assert mark.grade == grade_of(mark.report, LEAVERS, leaders_knowledge).grade
    assert history.title == "Care leavers: Liverpool, Herefordshire, Norfolk"


def test_comparison_needs_one_to_eight_councils(leaders_knowledge) -> None:
    """No council, or more than eight, is refused in one line saying how many a chart holds."""
    with pytest.raises(InputError, match="Name the councils"):
        comparison(leaders_knowledge, [])
    with pytest.raises(InputError, match=f"up to {MAX_COUNCILS} councils; 9 were named"):
        comparison(leaders_knowledge, [f"Council {i}" for i in range(9)])


def test_equal_histories_have_equal_keys(leaders_knowledge) -> None:
    """A council's history built twice has one key, so a drawn chart can be reused; another council's differs."""
    first, again = council_history(leaders_knowledge, "Liverpool"), council_history(leaders_knowledge, "Liverpool")
    assert first.key() == again.key() and hash(first.key()) == hash(again.key())
    assert council_history(leaders_knowledge, "Norfolk").key() != first.key()
