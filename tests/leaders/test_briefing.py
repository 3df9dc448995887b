"""Tests for the director's briefing, on a real store of 12 reports."""

import pytest

from bot.errors import InputError
from bot.ingest.reader import read_source
from bot.language.grades import LEAVERS, OVERALL
from bot.leaders.briefing import PER_SIDE, brief, find_local_authority
from bot.leaders.lean import PICK, load_lean
from bot.retrieval.polarity import CONCERN, STRENGTH
from tests.conftest import KNOWLEDGE

NATIONAL = KNOWLEDGE.parent / "tests" / "fixtures" / "national"


def source_text(report_id: str) -> str:
    """A report's text exactly as ingest read it, from the shipped knowledge or the national fixtures."""
    path = next(p for p in (KNOWLEDGE / f"{report_id}.md", NATIONAL / f"{report_id}.md") if p.exists())
    return read_source(path, path.read_bytes(), {}).text


def quoted_items(payload: dict) -> list[dict]:
    """Every quoted item anywhere in a JSON payload: the objects that carry both text and report."""
    found = []
    if isinstance(payload, dict):
        if "text" in payload and "report" in payload:
            found.append(payload)
        for value in payload.values():
            found += quoted_items(value)
    elif isinstance(payload, list):
        for value in payload:
            found += quoted_items(value)
    return found


def test_local_authority_names_are_canonicalised_or_refused() -> None:
    """"BCP" and "Stoke" find their councils; a place with no reports is refused in one line naming it."""
    known = {"Bournemouth, Christchurch and Poole", "Stoke-on-Trent", "North Northamptonshire",
             "West Northamptonshire"}
    assert find_local_authority("BCP", known) == "Bournemouth, Christchurch and Poole"
    assert find_local_authority("Stoke", known) == "Stoke-on-Trent"
    with pytest.raises(InputError, match=r"^I have no reports for Atlantis\. I cover 4 local authorities"):
        find_local_authority("Atlantis", known)
    with pytest.raises(InputError, match="North Northamptonshire or West Northamptonshire"):
        find_local_authority("Northants", known)


def test_history_shows_the_move_from_inadequate_to_good(leaders_knowledge) -> None:
    """Herefordshire's overall judgement reads Inadequate 2022 → Good 2026, and the latest table has five rows."""
    b = brief("Herefordshire", leaders_knowledge)
    assert [(s.grade, s.report.year) for s in b.trail(OVERALL)] == [("Inadequate", 2022), ("Good", 2026)]
    assert b.latest.id == "herefordshire-ilacs-2026-01-12"
    assert [j.grade for j in b.judgements] == ["Outstanding", "Good", "Good", "Good", "Good"]
    assert next(j for j in b.judgements if j.name == LEAVERS).label.text == (
        "The experiences and progress of children care leavers"  # the report's own wording, typo and all
    )


def test_2026_report_shows_no_overall_grade_but_each_area_moves(leaders_knowledge) -> None:
    """Liverpool has no overall grade in 2026; its care leavers judgement moves from Inadequate to RI."""
    b = brief("Liverpool", leaders_knowledge)
    assert [(s.grade, s.report.year) for s in b.trail(OVERALL)] == [("Inadequate", 2023), ("", 2026)]
    assert [s.grade for s in b.trail(LEAVERS)] == ["Inadequate", "Requires improvement to be good"]
    assert OVERALL not in [j.name for j in b.judgements]


def test_history_spans_a_sif_inspection_and_an_ilacs(leaders_knowledge) -> None:
    """Barnsley's history runs from the 2014 SIF (requires improvement) to the 2018 ILACS (good)."""
    b = brief("Barnsley", leaders_knowledge)
    assert [(s.grade, s.report.report_type) for s in b.trail(OVERALL)] == [
        ("Requires improvement to be good", "sif_inspection"), ("Good", "ilacs_inspection")]
    assert [s.grade for s in b.trail(LEAVERS)] == ["Good"]  # the 2018–19 combined row stands in for care leavers
    assert b.focused_visit is None and b.focus is None


def test_latest_focused_visit_and_what_it_looked_at(leaders_knowledge) -> None:
    """Norfolk's briefing names its 2021 focused visit and quotes what inspectors looked at."""
    b = brief("Norfolk", leaders_knowledge)
    assert b.focused_visit.id == "norfolk-focused-visit-2021-11-09"
    assert b.focus.text == "Inspectors looked at the local authority’s arrangements for children in care."
    assert b.visit_improvements == []  # the 2026 inspection's list supersedes the 2021 visit's


def test_a_visit_after_the_latest_inspection_brings_its_own_list(leaders_knowledge) -> None:
    """Essex has no inspection in the store, so its latest visit's list of what needs to improve is quoted."""
    b = brief("Essex", leaders_knowledge)
    assert b.visit_improvements and all(q.polarity == CONCERN for q in b.visit_improvements)
    assert b.focus.text.startswith("Inspectors looked at the local authority’s arrangements for children subject")


def test_every_quote_in_a_briefing_is_verbatim_attributed_and_classed(leaders_knowledge) -> None:
    """Improvements, strengths, concerns, focus and labels are cut from their reports, with sections; eight at most."""
    b = brief("Herefordshire", leaders_knowledge)
    assert 0 < len(b.strengths) <= PER_SIDE and 0 < len(b.concerns) <= PER_SIDE
    # Each side holds only sentences the shipped classifier is sure of, and the quote says which side it is on.
    lean = load_lean()
    assert all(p[0] >= PICK for p in lean.probabilities([q.text for q in b.strengths]))
    assert all(p[1] >= PICK for p in lean.probabilities([q.text for q in b.concerns]))
    assert {q.polarity for q in b.strengths} == {STRENGTH} and {q.polarity for q in b.concerns} == {CONCERN}
    assert [q.text[:40] for q in b.improvements] == [
        "The management oversight of the local au", "The identification and assessment of chi"]
    quotes = [*b.improvements, *b.strengths, *b.concerns, b.focus, *(j.label for j in b.judgements)]
    for quote in quotes:
        assert source_text(quote.report.id)[quote.start : quote.end] == quote.text
        assert quote.section and quote.report.local_authority == "Herefordshire"
    assert {q.report.id for q in b.strengths + b.concerns} == {"herefordshire-ilacs-2026-01-12"}
    assert not {q.text for q in b.strengths + b.concerns} & {q.text for q in b.improvements}


def test_json_carries_text_and_report_for_every_quoted_item(leaders_knowledge) -> None:
    """The briefing's JSON has the five parts, and every quoted item can be checked word for word."""
    payload = brief("Herefordshire", leaders_knowledge).to_json()
    assert {"judgements", "history", "improvements", "strengths", "concerns", "focused_visit"} <= set(payload)
    assert [s["grade"] for s in payload["history"][OVERALL]] == ["Inadequate", "Good"]
    items = quoted_items(payload)
    assert len(items) >= 15
    for item in items:
        assert source_text(item["report"])[item["start"] : item["end"]] == item["text"]
        assert "section" in item


def test_local_authority_with_only_focused_visits_is_briefed_from_the_latest_visit(leaders_knowledge) -> None:
    """Essex has no graded inspection in the store: no table, and the latest visit supplies quotes and focus."""
    b = brief("Essex", leaders_knowledge)
    assert b.latest is None and b.judgements == [] and b.trail() == []
    assert b.focused_visit.id == "essex-focused-visit-2025-02-14"
    assert b.improvements and all(q.report.id == "essex-focused-visit-2025-02-14" for q in b.improvements)


def test_news_items_are_never_part_of_a_briefing(leaders_knowledge) -> None:
    """Reading's BBC story is left out: its briefing quotes only Ofsted's focused visit."""
    b = brief("Reading", leaders_knowledge)
    quotes = [*b.improvements, *b.strengths, *b.concerns, b.focus]
    assert {q.report.id for q in quotes if q} == {"reading-focused-visit-2023-10-17"}


def test_briefing_for_an_unknown_local_authority_is_refused(leaders_knowledge) -> None:
    """brief() on a name with no reports raises the one-line refusal."""
    with pytest.raises(InputError, match="I have no reports for Rutland"):
        brief("Rutland", leaders_knowledge)
