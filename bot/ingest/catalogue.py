"""The catalogue: one CSV row of attribution per report, keyed by report id."""

import csv
from pathlib import Path

CATALOGUE_NAME = "catalogue.csv"
FIELD_ALIASES = {"slug": "id", "publication_date": "published", "source_url": "url"}


def load_catalogue(folder: Path) -> dict[str, dict[str, str]]:
    """Read `catalogue.csv` in a folder, if any, into rows keyed by report id and by file name."""
    path = folder / CATALOGUE_NAME
    if not path.is_file():
        return {}
    rows: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for raw in csv.DictReader(handle):
            row = {FIELD_ALIASES.get(k, k): (v or "").strip() for k, v in raw.items() if k}
            if not row.get("id"):
                continue
            rows[row["id"]] = row
            # A row may name its file, so a report can keep a stable id under any file name.
            if row.get("file"):
                rows[row["file"]] = row
    return rows


def catalogue_row(catalogue: dict[str, dict[str, str]], path: Path) -> dict[str, str]:
    """The catalogue row for a file, matched by file name first and then by stem."""
    return catalogue.get(path.name) or catalogue.get(path.stem) or {}


class Catalogues:
    """Rows for files from the nearest catalogue.csv, in the file's folder or a parent up to the scanned folder."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = {root.resolve() for root in roots if root.is_dir()}
        self.loaded: dict[Path, dict[str, dict[str, str]]] = {}

    def row(self, path: Path) -> dict[str, str]:
        """The first catalogue row for the file, looking upward from its folder; {} when none lists it."""
        folder = path.resolve().parent
        while True:
            if folder not in self.loaded:
                self.loaded[folder] = load_catalogue(folder)
            found = catalogue_row(self.loaded[folder], path)
            # A single file given by path is looked up beside itself only.
            if found or folder in self.roots or folder.parent == folder or not self._under_root(folder):
                return found
            folder = folder.parent

    def _under_root(self, folder: Path) -> bool:
        return any(folder.is_relative_to(root) for root in self.roots)
