"""Tests for the catalogue of report attribution."""

from pathlib import Path

from bot.ingest.catalogue import Catalogues, catalogue_row, load_catalogue
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


def _catalogue(folder: Path, la: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "catalogue.csv").write_text(f"slug,local_authority\nsurrey-ilacs-2024,{la}\n", encoding="utf-8")


def test_a_catalogue_in_a_parent_folder_covers_files_below_it(tmp_path: Path):
    """A file in reports/ takes its row from the catalogue beside the reports/ folder, as in ../shared/national."""
    _catalogue(tmp_path, "Surrey")
    report = tmp_path / "reports" / "surrey-ilacs-2024.md"
    report.parent.mkdir()
    assert Catalogues([tmp_path]).row(report)["local_authority"] == "Surrey"


def test_the_nearest_catalogue_wins(tmp_path: Path):
    """A catalogue beside the file overrides one further up for the same report."""
    _catalogue(tmp_path, "Surrey")
    _catalogue(tmp_path / "reports", "Surrey County")
    report = tmp_path / "reports" / "surrey-ilacs-2024.md"
    assert Catalogues([tmp_path]).row(report)["local_authority"] == "Surrey County"


def test_lookup_stops_at_the_scanned_folder(tmp_path: Path):
    """A catalogue above the folder that was asked for is not read, nor is one above a single file."""
    _catalogue(tmp_path, "Surrey")
    report = tmp_path / "reports" / "surrey-ilacs-2024.md"
    report.parent.mkdir()
    report.write_text("text", encoding="utf-8")
    assert Catalogues([tmp_path / "reports"]).row(report) == {}
    assert Catalogues([report]).row(report) == {}
