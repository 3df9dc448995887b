"""Tests for inferring report metadata from report text."""

import csv
import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ingest.inference import canonical_la, infer_metadata, report_type
from bot.ingest.pdf import extract_pdf
from bot.language.councils import local_authorities
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "pdfs"
ROWS = list(csv.DictReader((FIXTURES / "catalogue.csv").open(encoding="utf-8")))

THREE_JUDGEMENTS = """# Barnsley

## Inspection of children’s social care services

Inspection dates: 8 October 2018 to 19 October 2018

Lead inspector: Jan Edwards Her Majesty’s Inspector

| Judgement | Grade |
| --- | --- |
| The impact of leaders on social work practice with children and families | Good |
| The experiences and progress of children who need help and protection | Requires improvement |
| The experiences and progress of children in care and care leavers | Good |
| Overall effectiveness | Good |

Services for children in Barnsley are good. Since the focused visit and the joint targeted area
inspection (JTAI) in 2017, leaders have improved services.
"""

POST_REFORM = """# Inspection of Liverpool local authority children’s services

Inspection dates: 11 May to 22 May 2026

Lead inspector: Teresa Godfrey, His Majesty’s Inspector

| Judgement | Grade |
| --- | --- |
| The impact of leaders on social work practice with children and families | Good |
| The experiences and progress of children who need help and protection | Good |
| The experiences and progress of children in care | Good |
| The experiences and progress of care leavers | Requires improvement to be good |

Services for children and families in Liverpool have significantly improved.
"""

LETTER = """22 February 2018

Gail Quinton
Deputy Chief Executive (People)
Coventry City Council

Dear Ms Quinton

## Focused visit to Coventry City Council children’s services

This letter summarises the findings of a focused visit to Coventry City Council children’s services on 30 and
31 January. The inspectors were Alison Smale, HMI, and Peter McEntee, HMI.

Yours sincerely

Alison Smale

Her Majesty’s Inspector
"""


def normalise(text: str) -> str:
    """Compare titles and dates without case, curly quotes or dash differences."""
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"\s*[–-]\s*", " to ", text).lower().split())


@pytest.fixture(scope="module")
def inferred() -> dict:
    """Metadata inferred from every fixture PDF, as extract_pdf() and its metadata supply it."""
    result = {}
    for path in sorted(FIXTURES.glob("*.pdf")):
        pdf = extract_pdf(path.read_bytes())
        result[path.stem] = infer_metadata(
            pdf.text, file_name=path.name, created=pdf.created, pdf_title=pdf.title
        )
    return result


@pytest.mark.parametrize("row", ROWS, ids=[row["slug"] for row in ROWS])
def test_fixture_pdfs_agree_with_catalogue(inferred: dict, row: dict[str, str]) -> None:
    """LA, type, dates, title and overall grade inferred from each fixture PDF match its catalogue row."""
    got = inferred[row["slug"]]
    assert got.local_authority == row["local_authority"]
    # The corpus catalogue files its three SIF reports under "other".
    assert got.report_type == ("sif_inspection" if row["report_type"] == "other" else row["report_type"])
    assert normalise(got.inspection_dates) == normalise(row["inspection_dates"])
    assert normalise(got.title) == normalise(row["title"])
    assert got.overall_effectiveness == row["overall_effectiveness"]
    published = datetime.date.fromisoformat(got.published)
    wanted = datetime.date.fromisoformat(row["publication_date"])
    if row["report_type"] == "ilacs_inspection":
        # ILACS reports print no publication date, so the PDF's creation date stands in for it.
        assert abs((published - wanted).days) <= 7
    else:
        assert published == wanted


def test_fixture_judgements_and_lead_inspectors(inferred: dict) -> None:
    """Judgement rows and lead inspectors come through from the extracted PDFs."""
    stoke = inferred["stoke-on-trent-ilacs-2019-03-18"]
    assert len(stoke.judgements) == 4 and set(stoke.judgements.values()) == {"Inadequate"}
    plymouth = inferred["plymouth-ilacs-2024-03-15"]
    assert len(plymouth.judgements) == 5
    assert (
        plymouth.judgements["The experiences and progress of care leavers"]
        == "Requires improvement to be good"
    )
    northants = inferred["north-northamptonshire-ilacs-2026-07-07"]
    assert northants.overall_effectiveness == "" and len(northants.judgements) == 4
    assert northants.lead_inspector == "David Cohen"
    assert inferred["kingston-upon-thames-focused-visit-2019-04-11"].lead_inspector == "Kate Malleson"
    assert inferred["norfolk-sif-inspection-2015-10-19"].judgements == {}


def test_three_judgement_table_and_title() -> None:
    """The 2018–19 layout gives a two-part title, three sub-judgements plus overall, and normalised grades."""
    got = infer_metadata(THREE_JUDGEMENTS, created=datetime.date(2018, 11, 16))
    assert got.title == "Barnsley: Inspection of children’s social care services"
    assert got.report_type == "ilacs_inspection"
    assert got.local_authority == "Barnsley"
    assert got.inspection_dates == "8 October 2018 to 19 October 2018"
    assert got.published == "2018-11-16"
    assert got.overall_effectiveness == "Good"
    assert got.judgements["The experiences and progress of children who need help and protection"] == (
        "Requires improvement to be good"
    )
    assert got.lead_inspector == "Jan Edwards"


def test_post_reform_report_has_no_overall_grade() -> None:
    """A 2026 report keeps its four sub-judgements and leaves overall effectiveness blank."""
    got = infer_metadata(POST_REFORM)
    assert got.overall_effectiveness == ""
    assert list(got.judgements.values()) == ["Good", "Good", "Good", "Requires improvement to be good"]
    assert got.lead_inspector == "Teresa Godfrey"
    assert got.published == ""


def test_letter_date_is_publication_and_missing_year_is_added() -> None:
    """A focused-visit letter's date is its publication date and supplies the year its visit dates omit."""
    got = infer_metadata(LETTER, created=datetime.date(2018, 2, 21))
    assert got.report_type == "focused_visit"
    assert got.published == "2018-02-22"
    assert got.inspection_dates == "30 and 31 January 2018"
    assert got.local_authority == "Coventry"
    assert got.title == "Focused visit to Coventry City Council children’s services"
    assert got.lead_inspector == "Alison Smale"


def test_december_visit_in_january_letter_takes_previous_year() -> None:
    """A visit month later than the letter's month belongs to the year before the letter."""
    letter = LETTER.replace("22 February 2018", "21 January 2020").replace(
        "30 and\n31 January", "18 December"
    )
    assert infer_metadata(letter).inspection_dates == "18 December 2019"


def test_between_dates_are_read_as_a_range() -> None:
    """'between 3 and 5 November 2020' is the range 3 to 5 November 2020."""
    letter = LETTER.replace("on 30 and\n31 January", "between 3 and 5 November 2020")
    assert infer_metadata(letter).inspection_dates == "3 to 5 November 2020"


def test_sif_report_published_date_is_used() -> None:
    """A SIF report's printed 'Report published' date wins over the PDF creation date."""
    text = (
        "# Norfolk County Council\n\n## Inspection of services for children in need of help and protection, "
        "children looked after and care leavers\n\nInspection date: 6 July 2015 – 30 July 2015\n\n"
        "Report published: 19 October 2015\n"
    )
    got = infer_metadata(text, created=datetime.date(2015, 10, 1))
    assert got.report_type == "sif_inspection"
    assert got.published == "2015-10-19"
    assert got.inspection_dates == "6 July 2015 – 30 July 2015"
    assert got.overall_effectiveness == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "## Monitoring visit to Reading children’s services\n\n"
            "This letter summarises the findings of the monitoring visit.",
            "monitoring_visit",
        ),
        ("# Joint targeted area inspection of the multi-agency response to children in Dorset\n", "jtai"),
        (THREE_JUDGEMENTS, "ilacs_inspection"),
        (
            "# Surrey Safeguarding Children Board\n\n"
            "## Review of the effectiveness of the Local Safeguarding Children Board\n",
            "other",
        ),
        ("A recent Ofsted report says that services for children in care in Reading are improving.", "news"),
        ("Minutes of a meeting.", "other"),
    ],
)
def test_report_type_from_wording(text: str, expected: str) -> None:
    """Structural wording decides the type; passing mentions of other inspections in a body do not."""
    assert report_type(text) == expected


def test_report_type_falls_back_to_file_name() -> None:
    """Text with no recognisable opening is typed from a descriptive file name."""
    assert report_type("Some text.", "dorset-focused-visit-2019-10-24.pdf") == "focused_visit"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("London Borough of Southwark", "Southwark"),
        ("the Royal Borough of Kingston-upon-Thames local authority", "Kingston upon Thames"),
        ("City of Bradford Metropolitan District Council", "Bradford"),
        ("Stoke-on-Trent City Council", "Stoke-on-Trent"),
        ("Leicester City Council", "Leicester"),
        ("Leicestershire County Council", "Leicestershire"),
        ("Westmorland and Furness Council", "Westmorland and Furness"),
        ("North Northamptonshire", "North Northamptonshire"),
        ("Bournemouth, Christchurch and Poole Council", "Bournemouth, Christchurch and Poole"),
        ("Kingston Upon Hull City Council", "Kingston upon Hull"),
        ("Newcastle", "Newcastle upon Tyne"),
        ("London Borough of Hammersmith & Fulham", "Hammersmith and Fulham"),
        ("Gotham City Council", ""),
    ],
)
def test_local_authority_names_are_canonical(phrase: str, expected: str) -> None:
    """Council titles and addressees map to the catalogue's spelling of the local authority."""
    assert canonical_la(phrase) == expected


def test_local_authority_list_is_complete() -> None:
    """The shipped list holds the 153 English local authorities the national catalogue names."""
    names = local_authorities()
    assert len(names) == len(set(names)) == 153
    assert "Westmorland and Furness" in names and "Isles of Scilly" in names


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc XYZ019|#:-–\n’")) | st.characters(), max_size=400))
def test_any_text_gives_well_formed_metadata(text: str) -> None:
    """Arbitrary text never raises and always yields a known type and an ISO or empty date."""
    got = infer_metadata(text)
    assert got.report_type in {
        "ilacs_inspection",
        "focused_visit",
        "monitoring_visit",
        "jtai",
        "sif_inspection",
        "news",
        "other",
    }
    assert got.published == "" or datetime.date.fromisoformat(got.published)
    assert got.local_authority == "" or got.local_authority in local_authorities()


def test_pdf_title_metadata_never_names_the_local_authority() -> None:
    """A template /Title left in a PDF is only a fallback title; the LA comes from the report's own words."""
    text = "Services for children in Bradford have deteriorated. Bradford leaders know this."
    got = infer_metadata(text, pdf_title="Wakefield standard inspection report")
    assert got.title == "Wakefield standard inspection report"
    assert got.local_authority == "Bradford"
