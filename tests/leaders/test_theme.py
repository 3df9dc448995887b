"""Tests for themes across reports, on a real store of 12 reports and the real embedding model."""

import re

import pytest

from bot.ingest.reader import read_source
from bot.leaders.theme import PER_REPORT_KEPT, parse_theme_request, theme
from bot.retrieval.polarity import CONCERN, STRENGTH
from bot.retrieval.snapshot import report_years
from tests.conftest import KNOWLEDGE

NATIONAL = KNOWLEDGE.parent / "tests" / "fixtures" / "national"


def source_text(report_id: str) -> str:
    """A report's text exactly as ingest read it."""
    path = next(p for p in (KNOWLEDGE / f"{report_id}.md", NATIONAL / f"{report_id}.md") if p.exists())
    return read_source(path, path.read_bytes(), {}).text


@pytest.fixture(scope="module")
def supervision(leaders_answerer):
    """What the 12 reports say about supervision."""
    return theme("supervision", None, leaders_answerer)


def test_every_theme_quote_is_verbatim_and_from_an_ofsted_report(supervision) -> None:
    """Each quote is cut from its report at its offsets, has a section, and no news story is quoted."""
    assert len(supervision.reports) >= 6
    for quote in supervision.quotes:
        assert source_text(quote.report.id)[quote.start : quote.end] == quote.text
        assert quote.section and not quote.report.secondary


def test_counts_say_how_many_reports_raise_and_praise_the_topic(supervision) -> None:
    """The count lines are "N of M reports", N counting reports with a concern, M every report quoted."""
    concerned = {q.report.id for q in supervision.group(CONCERN)}
    praised = {q.report.id for q in supervision.group(STRENGTH)}
    everyone = {q.report.id for q in supervision.quotes}
    assert supervision.count_line(CONCERN) == (
        f"raised as an area for improvement in {len(concerned)} of {len(everyone)} reports")
    assert supervision.count_line(STRENGTH) == f"noted as a strength in {len(praised)} of {len(everyone)} reports"
    assert concerned and praised and concerned <= everyone
    assert supervision.local_authorities(CONCERN) == sorted(
        {q.report.local_authority for q in supervision.group(CONCERN)})


def test_improvement_items_on_the_topic_count_as_concerns(supervision) -> None:
    """Liverpool's "Caseloads and regular reflective supervision" item is a concern quoted from its list."""
    item = next(q for q in supervision.quotes if q.text.startswith("Caseloads and regular reflective supervision"))
    assert item.polarity == CONCERN and item.section == "What needs to improve?"
    assert item.report.id == "liverpool-ilacs-2023-05-25"


def test_no_report_floods_the_theme(supervision) -> None:
    """At most three quotes come from any one report."""
    counts: dict[str, int] = {}
    for quote in supervision.quotes:
        counts[quote.report.id] = counts.get(quote.report.id, 0) + 1
    assert max(counts.values()) <= PER_REPORT_KEPT


def test_since_keeps_only_reports_from_that_year_on(leaders_answerer) -> None:
    """With since 2025, every quoted report belongs to 2025 or later and the count line says so."""
    recent = theme("supervision", 2025, leaders_answerer)
    assert recent.quotes
    assert all(max(report_years(q.report)) >= 2025 for q in recent.quotes)
    assert re.fullmatch(r"raised as an area for improvement in \d+ of \d+ reports since 2025",
                        recent.count_line(CONCERN))


def test_an_abbreviation_finds_the_spelled_out_topic(leaders_answerer) -> None:
    """"RHI" reaches sentences that say "return home interview"."""
    found = theme("RHI", None, leaders_answerer)
    assert any("return home interview" in q.text.lower() for q in found.quotes)


def test_json_groups_quotes_with_text_report_and_section(supervision) -> None:
    """The JSON has strengths, concerns and neutral groups, each with counts, LAs and checkable quotes."""
    payload = supervision.to_json()
    assert payload["reports"] == len(supervision.reports)
    assert payload["concerns"]["summary"].startswith("raised as an area for improvement in")
    for group in ("strengths", "concerns", "neutral"):
        for item in payload[group]["quotes"]:
            assert {"text", "report", "section"} <= set(item)
            assert source_text(item["report"])[item["start"] : item["end"]] == item["text"]


def test_theme_requests_split_topic_and_year() -> None:
    """"supervision since 2022" is the topic "supervision" from 2022; a bare topic has no year."""
    assert parse_theme_request("supervision since 2022") == ("supervision", 2022)
    assert parse_theme_request("care leavers' accommodation") == ("care leavers' accommodation", None)
