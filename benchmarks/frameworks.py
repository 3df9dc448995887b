"""The framework of every graded inspection, read from its own text: none may be left without a length.

Reads each ILACS and SIF report in the folders given (front matter and catalogue as ingest reads them; the dates
and the judgement table from the text), classifies it with `bot.leaders.framework.framework_of`, and prints the
count of each framework, the spread of days on site behind each length, and every report it could not place.
It also checks the reading against Ofsted's rule that a short inspection follows a good or outstanding grade, and
lists the inspections that break it (a council can be given a standard inspection after a good one).

Usage: PYTHONPATH=. python benchmarks/frameworks.py knowledge ../shared/national/reports [--json]
"""

import argparse
import json
from collections import Counter
from pathlib import Path

from bot.ingest.catalogue import Catalogues
from bot.ingest.reader import read_source
from bot.language.grades import OVERALL
from bot.language.reports import graded_types
from bot.leaders.framework import days_on_site, framework_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    catalogues = Catalogues(args.folders)
    seen, rows = set(), []
    for folder in args.folders:
        for path in sorted(folder.glob("*.md")):
            row = catalogues.row(path)
            if path.stem in seen or (row.get("report_type") and row["report_type"] not in graded_types()):
                continue
            try:
                report = read_source(path, path.read_bytes(), row).report
            except Exception:  # a file ingest refuses is not an inspection to classify
                continue
            found = framework_of(report)
            if found is None:
                continue
            seen.add(path.stem)
            dates = report.structure.inspection_dates or report.inspection_dates
            rows.append({"report": report.id, "local_authority": report.local_authority,
                         "published": report.published, "dates": dates, "days": days_on_site(dates),
                         "framework": found.key, "overall": report.judgements.get(OVERALL, "")})
    counts = Counter(r["framework"] for r in rows)
    unplaced = [r for r in rows if r["framework"] in ("ilacs", "ilacs2026")]
    days = {key: sorted(Counter(r["days"] for r in rows if r["framework"] == key).items(), key=str) for key in counts}
    previous: dict[str, str] = {}
    against_rule = []
    for r in sorted(rows, key=lambda r: r["published"]):
        before = previous.get(r["local_authority"])
        if r["framework"].startswith("ilacs") and before and \
                r["framework"].endswith("_short") != (before in ("Good", "Outstanding")):
            against_rule.append(f"{r['report']} ({r['framework']}, {r['days']} days; before: {before})")
        previous[r["local_authority"]] = r["overall"] or before
    if args.json:
        print(json.dumps({"reports": rows, "counts": counts, "unplaced": unplaced}, indent=1))
        return
    print(f"{len(rows)} graded inspections")
    for key, n in counts.most_common():
        print(f"  {key:<20} {n:>4}   days on site: {', '.join(f'{d}: {c}' for d, c in days[key])}")
    print(f"unplaced (dates not a range): {len(unplaced)}")
    for r in unplaced:
        print(f"  {r['report']}: {r['dates']!r}")
    print(f"length against the previous overall grade (short after good or outstanding): {len(against_rule)} differ")
    for line in against_rule:
        print(f"  {line}")


if __name__ == "__main__":
    main()
