"""Join the labellers' output to the drawn sentences: one row per sentence, with a second label where two read it.

Refuses an unknown id, a label outside the three, a sentence not found verbatim in its report at its offsets, or
a sentence no one labelled; prints how often two labellers agreed on the sentences both read.

    python training/polarity/merge.py ../shared/national OUT/sentences.jsonl training/polarity/labelled/*.jsonl \
        training/polarity/labels.jsonl
"""

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from training.sentences import body_of  # noqa: E402

LABELS = ("strength", "concern", "neither")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("national", type=Path)
    parser.add_argument("sentences", type=Path)
    parser.add_argument("labelled", type=Path, nargs="+")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    drawn = {row["id"]: row for row in map(json.loads, args.sentences.open(encoding="utf-8"))}
    given: dict[str, dict[str, str]] = {}
    for path in args.labelled:
        slice_name = path.stem  # "slice-3": its own sentences are "s3-…"; others are the next slice's, repeated
        for line in path.open(encoding="utf-8"):
            row = json.loads(line)
            if row["id"] not in drawn or row["label"] not in LABELS:
                sys.exit(f"{path}: unknown id or label in {line.strip()}")
            given.setdefault(row["id"], {})[slice_name] = row["label"]
    missing = sorted(set(drawn) - set(given))
    if missing:
        sys.exit(f"{len(missing)} sentences have no label, such as {missing[:3]}")
    bodies: dict[str, str] = {}
    rows, pairs = [], []
    for sid, item in drawn.items():
        body = bodies.setdefault(item["slug"], body_of(
            (args.national / "reports" / f"{item['slug']}.md").read_text(encoding="utf-8")))
        if body[item["start"]:item["start"] + len(item["text"])] != item["text"]:
            sys.exit(f"{sid}: not verbatim at its offset in {item['slug']}")
        owner = f"slice-{sid[1:].split('-')[0]}"
        labels = given[sid]
        row = {**item, "label": labels.get(owner) or next(iter(labels.values()))}
        others = [label for name, label in labels.items() if name != owner]
        if others:
            row["second"] = others[0]
            pairs.append((row["label"], others[0]))
        rows.append(row)
    with args.out.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    agreed = sum(a == b for a, b in pairs)
    print(f"{len(rows)} sentences: {dict(Counter(r['label'] for r in rows))}; {len(pairs)} read twice, "
          f"agreed on {agreed} ({agreed / max(1, len(pairs)):.3f})")


if __name__ == "__main__":
    main()
