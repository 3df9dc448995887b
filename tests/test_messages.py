"""Tests for the bot's own wording."""

from bot import messages


def test_found_line_counts_ofsted_reports_and_secondary_sources_apart():
    """The summary line says how many excerpts came from Ofsted reports and how many from secondary sources."""
    assert messages.found(3, 2, 0) == "3 excerpts from 2 Ofsted reports"
    assert messages.found(1, 1, 0) == "1 excerpt from 1 Ofsted report"
    assert messages.found(4, 3, 1) == "4 excerpts from 2 Ofsted reports and 1 secondary source"


def test_refusals_name_what_was_asked():
    """Each refusal names the council, kind of report or word it could not help with."""
    assert "Surrey" in messages.no_reports_for(["Surrey"], 49) and "49" in messages.no_reports_for(["Surrey"], 49)
    assert "area SEND" in messages.unsupported_type("area SEND inspections")
    assert "Care Inspectorate Wales" in messages.outside_england("Cardiff", "Wales", "Care Inspectorate Wales")
    assert "‘menopause’" in messages.not_mentioned(["menopause"])
    assert "2019" in messages.nothing_matches(["Reading"], "inspection", [2019], ["focused visit (2023-10-17)"])
