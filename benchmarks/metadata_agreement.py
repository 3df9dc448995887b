"""Compare metadata inferred from the corpus PDFs (and national Markdown) with the catalogues."""

from __future__ import annotations

import csv
import datetime
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.ingest.frontmatter import split_front_matter
from bot.ingest.inference import infer_metadata
from bot.ingest.pdf import extract_pdf

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
NATIONAL = Path(__file__).resolve().parents[2] / "shared" / "national"
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def norm_dates(text: str) -> str:
    """Inspection dates with dashes read as 'to' and whitespace collapsed."""
    text = re.sub(r"\s*[–—-]\s*", " to ", text.translate(_QUOTES))
    return " ".join(text.lower().split())


def norm_title(text: str) -> str:
    """A title compared without case, curly quotes or spacing differences."""
    return " ".join(text.translate(_QUOTES).lower().split())


def within_days(a: str, b: str, days: int) -> bool:
    """Whether two ISO dates are at most `days` apart."""
    try:
        delta = datetime.date.fromisoformat(a) - datetime.date.fromisoformat(b)
    except ValueError:
        return False
    return abs(delta.days) <= days


def corpus() -> None:
    """Infer metadata for every corpus PDF and report per-field agreement with catalogue.csv."""
    rows = {r["slug"]: r for r in csv.DictReader((CORPUS / "catalogue.csv").open(encoding="utf-8"))}
    fields = [
        "local_authority",
        "report_type",
        "publication_date",
        "inspection_dates",
        "title",
        "overall_effectiveness",
    ]
    agree = dict.fromkeys(fields, 0)
    near = 0
    mapped = 0
    misses: list[str] = []
    pdfs = sorted((CORPUS / "pdfs").glob("*.pdf"))
    start = time.perf_counter()
    for pdf in pdfs:
        row = rows[pdf.stem]
        extracted = extract_pdf(pdf.read_bytes())
        got = infer_metadata(
            extracted.text, file_name=pdf.name, created=extracted.created, pdf_title=extracted.title
        )
        want_type = row["report_type"]
        if want_type == "other" and got.report_type == "sif_inspection":
            want_type = "sif_inspection"
            mapped += 1
        pairs = {
            "local_authority": (got.local_authority, row["local_authority"]),
            "report_type": (got.report_type, want_type),
            "publication_date": (got.published, row["publication_date"]),
            "inspection_dates": (norm_dates(got.inspection_dates), norm_dates(row["inspection_dates"])),
            "title": (norm_title(got.title), norm_title(row["title"])),
            "overall_effectiveness": (got.overall_effectiveness, row["overall_effectiveness"]),
        }
        for name, (a, b) in pairs.items():
            if a == b:
                agree[name] += 1
            else:
                misses.append(f"  {pdf.stem}: {name}: inferred {a!r}, catalogue {b!r}")
        near += within_days(got.published, row["publication_date"], 7)
    n = len(pdfs)
    print(f"corpus PDFs: {n} ({time.perf_counter() - start:.1f} s)")
    print(f"mapping applied: catalogue 'other' counted as 'sif_inspection' for {mapped} SIF reports")
    for name in fields:
        print(f"  {name:22} {agree[name]}/{n}")
    print(f"  publication_date within 7 days: {near}/{n}")
    print("disagreements:")
    print("\n".join(misses) or "  none")


def national() -> None:
    """Infer metadata from every national Markdown body and report agreement with its catalogue."""
    rows = list(csv.DictReader((NATIONAL / "catalogue.csv").open(encoding="utf-8")))
    fields = ["local_authority", "report_type", "overall_effectiveness"]
    agree = dict.fromkeys(fields, 0)
    misses: dict[str, list[str]] = {f: [] for f in fields}
    for row in rows:
        body = split_front_matter((NATIONAL / "reports" / f"{row['slug']}.md").read_text(encoding="utf-8"))[1]
        got = infer_metadata(body)
        pairs = {
            "local_authority": (got.local_authority, row["local_authority"]),
            "report_type": (got.report_type, row["report_type"]),
            "overall_effectiveness": (got.overall_effectiveness, row["overall_effectiveness"]),
        }
        for name, (a, b) in pairs.items():
            if a == b:
                agree[name] += 1
            else:
                misses[name].append(f"    {row['slug']}: inferred {a!r}, catalogue {b!r}")
    print(f"\nnational Markdown reports: {len(rows)} (text only: no file name, no created date)")
    for name in fields:
        print(f"  {name:22} {agree[name]}/{len(rows)}")
        for line in misses[name][:15]:
            print(line)
        if len(misses[name]) > 15:
            print(f"    ... {len(misses[name]) - 15} more")


if __name__ == "__main__":
    corpus()
    national()
