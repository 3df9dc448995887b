"""Tests for report facts: which fact a question asks for, and how a report's coverage is described."""

from bot.leaders.facts import covered, fact_asked
from bot.report import Report, Span, Structure


def test_the_longest_cue_decides_which_fact_is_asked():
    """'How many days were inspectors on site' asks for dates, 'how many reports' for what is held."""
    assert fact_asked("who led the Dorset inspection?") == "lead_inspector"
    assert fact_asked("how many days were inspectors on site in Leeds") == "dates"
    assert fact_asked("how many reports do you have on Kent") == "held"
    assert fact_asked("what was the 2021 Essex focused visit about?") == "focus"
    assert fact_asked("Kent") == "held"


def test_a_visit_is_described_by_its_focus_and_an_inspection_by_its_judgements():
    """A focused visit's coverage is the area its focus sentence names; an inspection's is every judgement area."""
    focus = "Inspectors looked at the local authority’s arrangements for care leavers aged 18 to 25."
    visit = Report("x-fv", "Focused visit", "X", "focused_visit", "Ofsted", "2021-01-01",
                   structure=Structure(focus=Span(focus, 0, len(focus))))
    assert covered(visit) == "care leavers aged 18 to 25"
    inspection = Report("x-ilacs", "Inspection", "X", "ilacs_inspection", "Ofsted", "2022-01-01",
                        judgements={"Overall effectiveness": "Good"})
    assert covered(inspection) == "every judgement area"
