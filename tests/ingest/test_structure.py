"""Tests for structure extraction, on real reports: the shipped knowledge base and three national reports."""

from pathlib import Path

import pytest

from bot.ingest.reader import Source, read_source
from bot.ingest.structure import extract_structure
from bot.language.grades import (
    HELP,
    IN_CARE,
    IN_CARE_AND_LEAVERS,
    LEADERS,
    LEAVERS,
    OVERALL,
    canonical_judgement,
    normalise_grade,
)
from bot.report import Report, Structure
from tests.conftest import KNOWLEDGE, REPO

NATIONAL = REPO / "tests" / "fixtures" / "national"


def read(path: Path) -> Source:
    """A report read exactly as ingest reads it."""
    return read_source(path, path.read_bytes(), {})


def shipped(name: str) -> Source:
    return read(KNOWLEDGE / f"{name}.md")


def every_span(structure: Structure) -> list:
    return [*structure.improvements, *structure.headline, *structure.rows.values(), *filter(None, [structure.focus])]


REPORT_FILES = sorted(p for p in [*KNOWLEDGE.glob("*.md"), *NATIONAL.glob("*.md")] if "-" in p.stem)


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: p.stem)
def test_every_span_is_cut_from_the_source_by_its_offsets(path: Path) -> None:
    """For every shipped and fixture report, each extracted span is exactly source[start:end]."""
    source = read(path)
    for span in every_span(source.report.structure):
        assert source.text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text


def test_2018_19_layout_has_three_judgements_and_the_combined_care_row() -> None:
    """A 2018–19 table grades leaders, help and protection, children in care and care leavers together, and overall."""
    structure = shipped("barnsley-ilacs-2018-11-19").report.structure
    assert structure.judgements == {LEADERS: "Good", HELP: "Good", IN_CARE_AND_LEAVERS: "Good", OVERALL: "Good"}
    assert [i.text[:40] for i in structure.improvements] == [
        "Risk assessment and the understanding of",
        "Regular review of the use of private fos",
        "The numbers of care leavers aged 19–21 i",
        "The rigour of audit and dip sampling act",
    ]
    assert structure.headline[0].text.startswith("Services for children in Barnsley are good")
    assert len(structure.headline) == 3  # the paragraphs between the table and "What needs to improve"
    assert structure.lead_inspector == "Jan Edwards"


def test_five_judgement_layout_and_its_eleven_improvement_items() -> None:
    """A 2023 table grades children in care and care leavers apart; every bullet under the heading is an item."""
    report = shipped("liverpool-ilacs-2023-05-25").report
    assert report.judgements == {LEADERS: "Inadequate", HELP: "Inadequate", IN_CARE: "Requires improvement to be good",
                                 LEAVERS: "Inadequate", OVERALL: "Inadequate"}
    assert report.overall_effectiveness == "Inadequate"
    assert len(report.structure.improvements) == 11
    assert report.structure.improvements[0].text.startswith("Caseloads and regular reflective supervision")
    assert report.structure.inspection_dates == "13 to 24 March 2023"


def test_2026_report_has_no_overall_grade_and_keeps_its_own_wording() -> None:
    """A post-reform report has four graded judgements, no overall, and its own row text kept for quoting."""
    report = shipped("north-northamptonshire-ilacs-2026-07-07").report
    assert set(report.judgements) == {LEADERS, HELP, IN_CARE, LEAVERS}
    assert report.overall_effectiveness == ""
    assert report.structure.rows[LEADERS].text == "The impact of leaders on practice with children and families"


def test_ofsted_typo_in_a_row_still_maps_to_care_leavers() -> None:
    """Herefordshire 2026 prints "children care leavers"; it is the care leavers judgement, quoted as printed."""
    structure = shipped("herefordshire-ilacs-2026-01-12").report.structure
    assert structure.judgements[LEAVERS] == "Good"
    assert structure.rows[LEAVERS].text == "The experiences and progress of children care leavers"


def test_improvement_heading_printed_as_a_plain_line_is_found() -> None:
    """Coventry 2026 prints "What needs to improve?1" without a heading mark; its two bullets are still the items."""
    structure = read(NATIONAL / "coventry-ilacs-2026-05-18.md").report.structure
    assert [i.text[:50] for i in structure.improvements] == [
        "The consistency of the quality and impact of plann",
        "The consistency of the quality and impact of super",
    ]
    assert not any("What needs to improve" in h.text for h in structure.headline)
    assert structure.judgements[OVERALL] == "Outstanding"


def test_focused_visit_focus_is_the_inspectors_looked_at_sentence() -> None:
    """A focused visit's focus is its "Inspectors looked at …" sentence, and it has no judgements."""
    structure = shipped("calderdale-focused-visit-2025-05-20").report.structure
    assert structure.focus.text == (
        "Inspectors looked at the local authority’s arrangements for the protection of vulnerable children from "
        "extra-familial risk."
    )
    assert structure.judgements == {}
    assert structure.headline[0].text.startswith("For most children’s and care leavers’ records")


def test_focus_keeps_the_list_of_focus_areas_that_follows_it() -> None:
    """When the focus sentence ends in a colon, the bullet list after it is part of the focus span."""
    focus = read(NATIONAL / "cambridgeshire-focused-visit-2025-08-29.md").report.structure.focus
    assert focus.text.startswith("Inspectors looked at the local authority’s arrangements for care leavers")
    assert focus.text.endswith("- The impact of leaders on practice with care leavers.")


def test_covid_visit_focus_is_the_chief_inspectors_programme() -> None:
    """A 2020 COVID-era letter states its focus as the Chief Inspector's programme of work."""
    focus = shipped("bury-focused-visit-2020-11-13").report.structure.focus
    assert focus.text.startswith("Her Majesty’s Chief Inspector of Education, Children’s Services and Skills")


def test_sif_judgements_and_the_local_authority_recommendations_only() -> None:
    """A SIF report's overall statement and five graded areas are read; its LSCB recommendations are left out."""
    report = shipped("norfolk-sif-inspection-2015-10-19").report
    structure = report.structure
    assert structure.judgements[OVERALL] == "Inadequate" == report.overall_effectiveness
    assert structure.rows[OVERALL].text == "Children’s services in Norfolk are inadequate"
    assert structure.judgements["Experiences and progress of care leavers"] == "Inadequate"
    assert len(structure.judgements) == 6
    assert structure.improvements[0].text.startswith("Strengthen management oversight in the MASH")
    assert structure.improvements[-1].text.startswith("Evaluate the long-term impact and outcomes of the NIPE scheme")
    assert structure.headline[0].text.startswith("Following previous inspections")


def test_2014_sif_overall_judgement_and_reasons() -> None:
    """A 2014 SIF states "The overall judgement is requires improvement" and lists its reasons as the headline."""
    structure = read(NATIONAL / "barnsley-sif-inspection-2014-08-08.md").report.structure
    assert structure.judgements[OVERALL] == "Requires improvement to be good"
    assert structure.rows[OVERALL].text == "The overall judgement is requires improvement"
    assert structure.judgements["Experiences and progress of care leavers"] == "Good"
    assert structure.headline and structure.improvements


def test_news_items_have_no_structure() -> None:
    """A news story about a report has no judgements, focus or improvement list of its own."""
    structure = shipped("bbc-news-2018-reading-leaving-care").report.structure
    assert structure.judgements == {} and structure.focus is None and structure.improvements == ()


def test_judgement_names_and_grades_are_normalised() -> None:
    """Row labels map to canonical names whatever the year's wording; grades take Ofsted's full wording."""
    assert canonical_judgement("The impact of leaders on practice with children and families") == LEADERS
    assert canonical_judgement("The experiences and progress of children in care and care leavers") == (
        IN_CARE_AND_LEAVERS
    )
    assert canonical_judgement("The impact of leaders on social work practice with children and families.") == LEADERS
    assert canonical_judgement("Adoption performance") == "Adoption performance"
    assert normalise_grade("Requires improvement") == "Requires improvement to be good"
    assert normalise_grade("requires Improvement to be good.") == "Requires improvement to be good"
    assert normalise_grade("outstanding") == "Outstanding"


def test_structure_survives_the_vector_store_metadata_round_trip() -> None:
    """A report's metadata is scalars only, a few KB, and rebuilds the same report with its structure."""
    report = shipped("liverpool-ilacs-2023-05-25").report
    meta = report.to_metadata()
    assert all(isinstance(v, str | int | bool) for v in meta.values())
    assert len(meta["structure"]) < 20_000
    assert Report.from_metadata(meta) == report


def test_metadata_written_before_structure_existed_still_loads() -> None:
    """Older manifest records without a structure field load with an empty structure."""
    meta = shipped("calderdale-focused-visit-2025-05-20").report.to_metadata()
    del meta["structure"]
    assert Report.from_metadata(meta).structure == Structure()


def test_extraction_is_pure_text_in_structure_out() -> None:
    """extract_structure reads the same text the same way every time, with no file or store involved."""
    text = shipped("dorset-ilacs-2025-05-09").text
    assert extract_structure(text, "ilacs_inspection") == extract_structure(text, "ilacs_inspection")
    assert extract_structure(text, "ilacs_inspection").judgements[OVERALL] == "Outstanding"
