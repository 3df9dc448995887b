"""Tests for the catalogue of report attribution."""

from pathlib import Path

from bot.catalogue import catalogue_row, load_catalogue
from tests.conftest import KNOWLEDGE


def test_shipped_catalogue_covers_every_shipped_report():
    """Every document in knowledge/ has a catalogue row keyed by its file stem."""
    catalogue = load_catalogue(KNOWLEDGE)
    stems = {p.stem for p in KNOWLEDGE.glob("*.md") if p.stem != "LICENCE"}
    assert len(stems) == 66
    assert all(catalogue_row(catalogue, KNOWLEDGE / f"{stem}.md")["id"] == stem for stem in stems)


def test_a_file_column_gives_a_report_a_stable_id(tmp_path: Path):
    """A row naming a file maps that file to the row's id, whatever the file is called."""
    (tmp_path / "catalogue.csv").write_text(
        "slug,file,local_authority,publication_date\nsurrey-ilacs-2024-01-01,download (3).pdf,Surrey,2024-01-01\n"
    )
    row = catalogue_row(load_catalogue(tmp_path), tmp_path / "download (3).pdf")
    assert row["id"] == "surrey-ilacs-2024-01-01" and row["published"] == "2024-01-01"


def test_missing_catalogue_is_empty(tmp_path: Path):
    """A folder without catalogue.csv simply has no rows."""
    assert load_catalogue(tmp_path) == {}
