"""Check structure extraction against the national catalogue, and count what it finds in each kind of report.

The overall effectiveness grade is read from the report's text (its judgement table), never from its front matter,
and compared with `catalogue.csv` for every ILACS report that has one. Every extracted span is also checked to be
word for word at its offsets.

Usage: python benchmarks/structure_agreement.py [--national DIR]
"""

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.ingest.reader import read_source
from bot.language.grades import IN_CARE, IN_CARE_AND_LEAVERS, LEAVERS, OVERALL

NATIONAL = Path("/work/shared/national")


def layout(judgements: dict[str, str]) -> str:
    """Which ILACS judgement table a report has."""
    if IN_CARE_AND_LEAVERS in judgements:
        return "2018–19: three judgements + overall"
    if IN_CARE in judgements and LEAVERS in judgements:
        return "four judgements + overall" if OVERALL in judgements else "four judgements, no overall (2026)"
    return "other: " + ", ".join(judgements) if judgements else "no table"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, default=NATIONAL)
    args = parser.parse_args()
    rows = list(csv.DictReader((args.national / "catalogue.csv").open(encoding="utf-8")))
    found: Counter[tuple[str, str]] = Counter()
    layouts: Counter[str] = Counter()
    disagreements: list[str] = []
    graded = spans = 0
    for row in rows:
        path = args.national / "reports" / f"{row['slug']}.md"
        source = read_source(path, path.read_bytes(), {})
        kind, structure = row["report_type"], source.report.structure
        every = [*structure.improvements, *structure.headline, *structure.rows.values()]
        every += [structure.focus] if structure.focus else []
        for span in every:
            if source.text[span.start : span.end] != span.text:
                sys.exit(f"{row['slug']}: span at {span.start} is not word for word")
        spans += len(every)
        found[(kind, "reports")] += 1
        for part in ("judgements", "improvements", "headline", "focus", "inspection_dates", "lead_inspector"):
            found[(kind, part)] += bool(getattr(structure, part))
        if kind == "ilacs_inspection":
            layouts[layout(structure.judgements)] += 1
        if kind == "ilacs_inspection" and row["overall_effectiveness"]:
            graded += 1
            got = structure.judgements.get(OVERALL, "")
            if got != row["overall_effectiveness"]:
                disagreements.append(f"  {row['slug']}: extracted {got or '(none)'!r}, catalogue "
                                     f"{row['overall_effectiveness']!r}")
    agree = graded - len(disagreements)
    print(f"overall effectiveness: {agree} / {graded} ILACS reports agree with the catalogue ({agree / graded:.1%})")
    print("\n".join(disagreements) or "  no disagreements")
    print("ILACS judgement tables:")
    for name, n in layouts.most_common():
        print(f"  {n:4}  {name}")
    print(f"extracted, by report type ({spans} spans, all word for word at their offsets):")
    parts = ("judgements", "improvements", "headline", "focus", "inspection_dates", "lead_inspector")
    print(f"  {'type':<18}{'reports':>8}" + "".join(f"{p:>17}" for p in parts))
    for kind in sorted({k for k, _ in found}):
        print(f"  {kind:<18}{found[(kind, 'reports')]:>8}" + "".join(f"{found[(kind, p)]:>17}" for p in parts))


if __name__ == "__main__":
    main()
