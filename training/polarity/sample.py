"""Draw report sentences for strength / concern / neither labelling, as a briefing meets them.

The pool is what `bot.leaders.briefing` picks strengths and concerns from: the opening (headline) and findings
sections of every ILACS, SIF and focused-visit report, sentences a director can read on their own. Up to
`--per-report` are drawn from each report, so every council and report type is in; reports are dealt into slices
by council, so a labeller's slice and the grouped-CV folds both keep a council's sentences together. Each slice
also repeats `--overlap` sentences of the next slice, labelled twice, to measure how far labellers agree.

    python training/polarity/sample.py ../shared/national OUT [--per-report 5] [--slices 8] [--seed 20261207]
"""

import argparse
import csv
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.ingest.chunker import OPENING_SECTION, split_sections  # noqa: E402
from bot.language.sentence import split_sentences  # noqa: E402
from bot.leaders.briefing import FINDINGS_SECTION, standalone  # noqa: E402
from training.sentences import body_of  # noqa: E402

GRADE_SUFFIX = re.compile(r":\s*(outstanding|good|requires improvement.*|inadequate)\s*$", re.IGNORECASE)
TYPES = {"ilacs_inspection", "sif_inspection", "focused_visit"}


def candidates(body: str) -> list[dict]:
    """Each standalone sentence of the opening and findings sections, with its section and offsets in the body."""
    found = []
    for section in split_sections(body):
        last = section.path.split(" > ")[-1]
        if section.path != OPENING_SECTION and not FINDINGS_SECTION.match(last):
            continue
        text = body[section.start:section.end]
        for unit in split_sentences(text):
            sentence = text[unit.start:unit.end]
            if unit.kind in ("sentence", "item") and standalone(sentence) and not sentence.startswith(("|", "#")):
                found.append({"section": section.path, "start": section.start + unit.start, "text": sentence})
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("national", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-report", type=int, default=5)
    parser.add_argument("--slices", type=int, default=8)
    parser.add_argument("--overlap", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = [r for r in csv.DictReader((args.national / "catalogue.csv").open(encoding="utf-8"))
            if r["report_type"] in TYPES]
    by_council: dict[str, list[dict]] = {}
    for row in rows:
        body = body_of((args.national / "reports" / f"{row['slug']}.md").read_text(encoding="utf-8"))
        pool = candidates(body)
        for item in rng.sample(pool, min(args.per_report, len(pool))):
            by_council.setdefault(row["local_authority"], []).append(
                {"slug": row["slug"], "council": row["local_authority"], "report_type": row["report_type"], **item})
    councils = sorted(by_council)
    rng.shuffle(councils)
    slices: list[list[dict]] = [[] for _ in range(args.slices)]
    for n, council in enumerate(councils):
        slices[n % args.slices] += by_council[council]
    args.out.mkdir(parents=True, exist_ok=True)
    key = []
    for n, part in enumerate(slices):
        for m, item in enumerate(part):
            item["id"] = f"s{n + 1}-{m:04d}"
            key.append(item)
    for n, part in enumerate(slices):
        repeat = rng.sample(slices[(n + 1) % args.slices], args.overlap)
        shown = part + repeat
        rng.shuffle(shown)
        # The heading's grade ("…: good") is left off, so a label reads the sentence, not the grade above it.
        lines = [f"{item['id']}\t{GRADE_SUFFIX.sub('', item['section'].split(' > ')[-1])}\t{item['text']}"
                 for item in shown]
        (args.out / f"slice-{n + 1}.tsv").write_text("id\tsection\tsentence\n" + "\n".join(lines) + "\n", "utf-8")
        print(f"slice {n + 1}: {len(part)} sentences + {len(repeat)} repeated, "
              f"{len({i['council'] for i in part})} councils")
    with (args.out / "sentences.jsonl").open("w", encoding="utf-8") as out:
        for item in key:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(key)} sentences from {len({i['slug'] for i in key})} reports, {len(by_council)} councils")


if __name__ == "__main__":
    main()
