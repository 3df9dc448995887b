"""Every council's comparison with its statistical neighbours, checked against the lookup and the reports.

For each of the councils with neighbours: the table's eleven councils are the council and the ten its lookup row
lists (read by ONS code, independently of the DfE codes the bot uses); each held council's row comes from its latest
graded inspection; each grade is the one that report's extracted judgements give; and each quoted row is found in
the report's source text at its offsets.

Usage: PYTHONPATH=. python benchmarks/neighbours.py --chroma-path DIR [--sources DIR ...]
"""

import argparse
import time
from pathlib import Path

from bot.datafiles import read_rows
from bot.embedder import model_files
from bot.ingest.reader import read_source
from bot.language.grades import IN_CARE, IN_CARE_AND_LEAVERS, LEAVERS
from bot.language.neighbours import ONS_RECODED, by_name
from bot.leaders.neighbours import compare_with_neighbours
from bot.leaders.standing import SIF_NAMES, graded_reports
from bot.logs import configure_logging
from bot.retrieval.knowledge import Knowledge
from bot.settings import Settings
from bot.store.client import open_store


def expected_grade(report, judgement: str) -> str:
    """The grade the report's extracted judgements give, under whichever name its framework uses."""
    for name in (judgement, SIF_NAMES.get(judgement, ""),
                 IN_CARE_AND_LEAVERS if judgement in (IN_CARE, LEAVERS) else ""):
        if name and report.judgements.get(name):
            return report.judgements[name]
    return ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chroma-path", required=True)
    # The shipped reports first: where a report is in both, ingest kept the shipped file.
    parser.add_argument("--sources", nargs="*", default=["knowledge", "../shared/national/reports"])
    args = parser.parse_args()
    configure_logging("WARNING", "console")
    settings = Settings(_env_file=None, chroma_path=Path(args.chroma_path))
    knowledge = Knowledge(open_store(settings, model_files(settings).model_id)).snapshot()
    names_by_ons = {c.ons_code: name for name, c in by_name().items()}
    rows = {row["la_code_new"]: row for row in read_rows("la_lookup.csv")}
    started, councils, cells, quotes, problems = time.perf_counter(), 0, 0, 0, []
    for name, council in sorted(by_name().items()):
        listed = [names_by_ons.get(ONS_RECODED.get(c.strip(), c.strip()), c.strip())
                  for c in rows[council.ons_code]["stat_neighbours_la_code"].split(",") if c.strip()]
        if not listed:
            continue
        councils += 1
        table = compare_with_neighbours(knowledge, name)
        if [r.local_authority for r in table.rows] != [name, *listed]:
            problems.append(f"{name}: councils differ from the lookup")
        for row in table.rows:
            reports = graded_reports(knowledge, row.local_authority) if row.held else []
            if (reports[-1] if reports else None) != row.report:
                problems.append(f"{name}: {row.local_authority} is not from its latest graded inspection")
                continue
            for judgement in table.judgements if row.report else ():
                cells += 1
                if row.grade(judgement) != expected_grade(row.report, judgement):
                    problems.append(f"{name}: {row.local_authority} {judgement} differs from its report")
                stated = row.grades.get(judgement)
                if stated and stated.excerpt:
                    quotes += 1
                    path = next(p for d in args.sources if (p := Path(d) / f"{row.report.id}.md").exists())
                    text = read_source(path, path.read_bytes(), {}).text
                    if text[stated.excerpt.start:stated.excerpt.end] != stated.excerpt.text:
                        problems.append(f"{name}: {row.local_authority} {judgement}'s quote is not at its offsets")
    print(f"{councils} councils with neighbours, {cells} grades, {quotes} quoted rows checked in "
          f"{time.perf_counter() - started:.1f} s: {len(problems)} problems")
    for problem in problems[:20]:
        print("  " + problem)


if __name__ == "__main__":
    main()
