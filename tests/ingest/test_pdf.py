"""Tests for extracting Markdown-ish text from real Ofsted report PDFs with pypdf."""

import datetime
import io
import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from bot.errors import InputError
from bot.ingest.pdf import PdfText, extract_pdf
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "pdfs"
STOKE = "stoke-on-trent-ilacs-2019-03-18"
PLYMOUTH = "plymouth-ilacs-2024-03-15"
NORTH_NORTHANTS = "north-northamptonshire-ilacs-2026-07-07"
KINGSTON = "kingston-upon-thames-focused-visit-2019-04-11"
NORFOLK_SIF = "norfolk-sif-inspection-2015-10-19"


@pytest.fixture(scope="module")
def extracted() -> dict[str, PdfText]:
    """Every fixture PDF, extracted once."""
    return {path.stem: extract_pdf(path.read_bytes()) for path in sorted(FIXTURES.glob("*.pdf"))}


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks of the extracted text."""
    return [block.strip() for block in text.split("\n\n") if block.strip()]


def fixture_bytes(stem: str) -> bytes:
    """The bytes of one fixture PDF."""
    return (FIXTURES / f"{stem}.pdf").read_bytes()


def test_reads_page_count_and_pdf_metadata(extracted: dict[str, PdfText]) -> None:
    """Page count, creation date and a non-empty /Title come from the PDF itself."""
    stoke = extracted[STOKE]
    assert stoke.pages == len(PdfReader(FIXTURES / f"{STOKE}.pdf").pages) == 10
    assert stoke.created == datetime.date(2019, 3, 19)
    assert stoke.title is None
    assert extracted[NORFOLK_SIF].title == "Norfolk - draft report"


def test_running_header_and_footer_are_dropped(extracted: dict[str, PdfText]) -> None:
    """The title and dates repeated at the foot of every page appear only where the report prints them."""
    text = extracted[NORTH_NORTHANTS].text
    assert text.count("Inspection of North Northamptonshire local authority children’s services") == 1
    assert text.startswith("# Inspection of North Northamptonshire local authority children’s services\n")
    assert "11 to 22 May 2026 2" not in text
    assert not re.search(r"(?m)^11 to 22 May 2026", text)


def test_page_numbers_are_dropped(extracted: dict[str, PdfText]) -> None:
    """No block of any fixture is a bare page number or 'Page n of m'."""
    for stem, pdf in extracted.items():
        for block in paragraphs(pdf.text):
            assert not re.fullmatch(r"(Page )?\d{1,3}( of \d{1,3})?", block), (stem, block)


def test_letterhead_is_dropped_from_letters(extracted: dict[str, PdfText]) -> None:
    """The Ofsted address block printed above a focused-visit letter is removed; the letter date leads."""
    text = extracted[KINGSTON].text
    for furniture in ("Piccadilly Gate", "Store Street", "M1 2WD", "0300 123 1231", "www.gov.uk/ofsted"):
        assert furniture not in text
    assert paragraphs(text)[0] == "11 April 2019"


def test_paragraph_split_across_pages_is_rejoined(extracted: dict[str, PdfText]) -> None:
    """A sentence broken by a page break in the Stoke report comes back as one paragraph."""
    blocks = paragraphs(extracted[STOKE].text)
    joined = "not attended well enough by partner agencies to support good-quality decision-making"
    assert sum(joined in block for block in blocks) == 1


def test_paragraph_continues_past_footnote_on_next_page(extracted: dict[str, PdfText]) -> None:
    """A numbered paragraph carried over a footnoted page break stays whole; the footnote follows it."""
    blocks = paragraphs(extracted[NORTH_NORTHANTS].text)
    five = next(b for b in blocks if b.startswith("5. Social work assessments"))
    assert five.endswith(
        "Assessments are informed by multiple visits and incorporate the views of children and families."
    )
    note = blocks.index(five) + 1
    assert blocks[note].startswith("[1] The areas for improvement have been cross-referenced")
    assert "## What needs to improve? [1]" in blocks


def test_line_end_hyphens_in_compounds_are_kept(extracted: dict[str, PdfText]) -> None:
    """Compounds broken after their hyphen at a line end are rejoined with the hyphen and no space."""
    assert "very clearly child-focused" in extracted[KINGSTON].text
    assert "Decision-making following contacts" in extracted[KINGSTON].text
    assert "Stoke-on-Trent are inadequate" in extracted[STOKE].text
    assert "for homeless 16- to 17-year-olds" in extracted[NORFOLK_SIF].text


def test_three_judgement_table(extracted: dict[str, PdfText]) -> None:
    """The 2018–19 grid with children in care and care leavers combined becomes a Markdown table."""
    table = "\n".join(
        [
            "| Judgement | Grade |",
            "| --- | --- |",
            "| The impact of leaders on social work practice with children and families | Inadequate |",
            "| The experiences and progress of children who need help and protection | Inadequate |",
            "| The experiences and progress of children in care and care leavers | Inadequate |",
            "| Overall effectiveness | Inadequate |",
        ]
    )
    assert table in paragraphs(extracted[STOKE].text)


def test_five_judgement_table(extracted: dict[str, PdfText]) -> None:
    """The later grid with care leavers judged separately keeps all five rows and wrapped labels whole."""
    block = next(b for b in paragraphs(extracted[PLYMOUTH].text) if b.startswith("| Judgement"))
    rows = [line.split(" | ") for line in block.splitlines()[2:]]
    assert [label.strip("| ") for label, _ in rows] == [
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection",
        "The experiences and progress of children in care",
        "The experiences and progress of care leavers",
        "Overall effectiveness",
    ]
    assert {grade.strip("| ") for _, grade in rows} == {"Requires improvement to be good"}


def test_post_reform_table_has_no_overall_row(extracted: dict[str, PdfText]) -> None:
    """A 2026 grid ends after its four sub-judgements and the first paragraph is not swallowed into it."""
    blocks = paragraphs(extracted[NORTH_NORTHANTS].text)
    table = next(b for b in blocks if b.startswith("| Judgement"))
    assert len(table.splitlines()) == 6
    assert table.splitlines()[-1] == "| The experiences and progress of care leavers | Good |"
    assert blocks[blocks.index(table) + 1].startswith(
        "The experiences of children, young people and families"
    )


def test_bullets_become_markdown_items(extracted: dict[str, PdfText]) -> None:
    """Wingdings and Symbol bullet glyphs become '- ' items and never leak into the text."""
    blocks = paragraphs(extracted[KINGSTON].text)
    assert "- Coordination and review of risk minimisation planning and the actions required." in blocks
    assert sum(b.startswith("- ") for b in blocks) >= 5
    sif = extracted[NORFOLK_SIF].text
    assert "- in primary schools is 16% (the national average is 17%)" in paragraphs(sif)
    for pdf in extracted.values():
        assert not re.search("[◼\uf06e\uf02d\uf0b7]", pdf.text)


def test_headings_and_numbered_paragraphs(extracted: dict[str, PdfText]) -> None:
    """Bold lines become '## ' headings and each numbered paragraph is its own block, in order."""
    blocks = paragraphs(extracted[NORTH_NORTHANTS].text)
    assert "## The experiences and progress of children who need help and protection: good" in blocks
    numbers = [int(b.split(".")[0]) for b in blocks if re.match(r"\d+\. ", b)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) > 40
    assert (
        "## Focused visit to the Royal Borough of Kingston-upon-Thames local authority children’s services"
        in (paragraphs(extracted[KINGSTON].text))
    )


def test_sif_contents_page_is_dropped(extracted: dict[str, PdfText]) -> None:
    """The SIF report's table of contents, a list of page numbers, is left out."""
    text = extracted[NORFOLK_SIF].text
    assert "Contents" not in paragraphs(text)
    assert "Information about this local authority area 3" not in text


def test_empty_file_is_rejected() -> None:
    """Zero bytes is reported as an empty file."""
    with pytest.raises(InputError, match=r"^file is empty$"):
        extract_pdf(b"")


def test_truncated_pdf_is_rejected() -> None:
    """A real PDF cut in half is reported as not readable."""
    data = fixture_bytes(KINGSTON)
    with pytest.raises(InputError, match=r"^not a readable PDF: file is truncated"):
        extract_pdf(data[: len(data) // 2])


def test_corrupt_pdf_is_rejected() -> None:
    """A PDF with its middle third cut out raises InputError, not a pypdf exception."""
    data = fixture_bytes(KINGSTON)
    damaged = data[: len(data) // 3] + data[2 * len(data) // 3 :]
    with pytest.raises(InputError, match=r"^not a readable PDF: ") as caught:
        extract_pdf(damaged)
    assert "\n" not in str(caught.value)


def test_non_pdf_is_rejected() -> None:
    """Bytes that are not a PDF at all are reported as not readable."""
    with pytest.raises(InputError, match=r"^not a readable PDF: no PDF header$"):
        extract_pdf(b"Inspection of Dorset local authority children's services\n")


def test_encrypted_pdf_is_rejected() -> None:
    """A PDF that needs a user password is reported as encrypted."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fixture_bytes(KINGSTON))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match=r"^PDF is encrypted$"):
        extract_pdf(buffer.getvalue())


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """A PDF encrypted with an empty user password opens like any other."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fixture_bytes(KINGSTON))))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert extract_pdf(buffer.getvalue()).text == extract_pdf(fixture_bytes(KINGSTON)).text


def test_image_only_pdf_is_rejected() -> None:
    """A PDF whose pages carry no text is reported as having no extractable text."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(InputError, match=r"^PDF has no extractable text \(scanned image\?\)$"):
        extract_pdf(buffer.getvalue())


def test_too_many_pages_is_rejected() -> None:
    """A PDF longer than max_pages is refused before its text is read."""
    with pytest.raises(InputError, match=r"^PDF has 5 pages, more than the limit of 3$"):
        extract_pdf(fixture_bytes(KINGSTON), max_pages=3)


def test_pypdf_warnings_are_silenced(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """A PDF with a wrong startxref offset is repaired quietly, without the pypdf logger's level changing."""
    data = fixture_bytes(KINGSTON)
    offset = list(re.finditer(rb"startxref\s+(\d+)", data))[-1]
    damaged = data[: offset.start(1)] + b"999" + data[offset.end(1) :]
    before = logging.getLogger("pypdf").level
    with caplog.at_level(logging.DEBUG):
        text = extract_pdf(damaged).text
    assert text == extract_pdf(data).text
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    assert capsys.readouterr() == ("", "")
    assert logging.getLogger("pypdf").level == before


def _with_dates(**dates: str) -> bytes:
    """The Kingston fixture with its metadata dates replaced."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fixture_bytes(KINGSTON))))
    writer.add_metadata(dates)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_creation_date_is_read_by_pypdf_with_its_time_zone() -> None:
    """A creation date with a time and a UTC offset gives the date printed in it."""
    data = _with_dates(**{"/CreationDate": "D:20181116232525+01'00'", "/ModDate": "D:20200101"})
    assert extract_pdf(data).created == datetime.date(2018, 11, 16)


def test_a_malformed_creation_date_falls_back_to_the_modification_date() -> None:
    """A creation date pypdf cannot parse is no error: the modification date is used, else no date at all."""
    assert extract_pdf(_with_dates(**{"/CreationDate": "D:garbage", "/ModDate": "D:20200102"})).created == \
        datetime.date(2020, 1, 2)
    assert extract_pdf(_with_dates(**{"/CreationDate": "yesterday", "/ModDate": "D:2020-13"})).created is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.floats(0.0, 0.98), junk=st.binary(min_size=1, max_size=400))
def test_damaged_bytes_raise_only_input_error(start: float, junk: bytes) -> None:
    """Overwriting any stretch of a real PDF yields text or an InputError, never a pypdf exception."""
    data = fixture_bytes(KINGSTON)
    at = int(start * len(data))
    damaged = data[:at] + junk + data[at + len(junk) :]
    try:
        result = extract_pdf(damaged)
    except InputError as err:
        assert "\n" not in str(err)
    else:
        assert result.pages >= 1 and result.text.strip()
