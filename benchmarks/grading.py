"""Blind grading of first excerpts: a reader who sees only the question and one excerpt says whether it answers.

`make` draws a sample of questions from `findings train ranker --rows` output and writes, for each question and
each system (before and after, out of fold), the first excerpt or the refusal as one shuffled, anonymous item.
`score` reads the reader's grades back and reports, per system, the share of first excerpts that answer.

Usage:
    PYTHONPATH=. python benchmarks/grading.py make ROWS.jsonl ITEMS.jsonl KEY.json [--answerable 60] [--refused 15]
    PYTHONPATH=. python benchmarks/grading.py score KEY.json GRADES.jsonl
"""

import argparse
import json
import random
from collections import defaultdict
from pathlib import Path

SYSTEMS = ("before", "after")


def _first(row: dict) -> tuple[str | None, str]:
    if not row["answered"] or not row["excerpts"]:
        return None, ""
    excerpt = row["excerpts"][0]
    return excerpt["text"], f"{excerpt['report']} · {excerpt['section']}"


def make(rows_path: Path, items_path: Path, key_path: Path, answerable: int, refused: int, seed: int) -> None:
    rows = [json.loads(line) for line in rows_path.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(seed)
    # One row per question id (a set scored on two stores counts once, on its own store).
    by_id = {}
    for row in rows:
        by_id.setdefault(row["id"], row)
    pool = list(by_id.values())
    chosen = rng.sample([r for r in pool if r["kind"] != "unanswerable"], answerable) + \
        rng.sample([r for r in pool if r["kind"] == "unanswerable"], refused)
    items, key = [], []
    for row in chosen:
        for system in SYSTEMS:
            text, source = _first(row[system])
            items.append({"question": row["question"], "excerpt": text, "source": source})
            key.append({"id": row["id"], "kind": row["kind"], "system": system})
    order = list(range(len(items)))
    rng.shuffle(order)
    items_path.write_text("".join(json.dumps({"item": n, **items[i]}, ensure_ascii=False) + "\n"
                                  for n, i in enumerate(order)), encoding="utf-8")
    key_path.write_text(json.dumps([key[i] for i in order]), encoding="utf-8")
    print(f"wrote {len(items)} items for {len(chosen)} questions")


def score(key_path: Path, grades_path: Path) -> None:
    key = json.loads(key_path.read_text(encoding="utf-8"))
    grades = {g["item"]: g["answers"] == "yes" for g in map(json.loads, grades_path.read_text().splitlines())}
    tally: dict[tuple[str, bool], list[bool]] = defaultdict(list)
    for n, entry in enumerate(key):
        if n in grades:
            tally[(entry["system"], entry["kind"] == "unanswerable")].append(grades[n])
    print(f"graded {len(grades)} of {len(key)} items")
    for system in SYSTEMS:
        yes = tally[(system, False)]
        no = tally[(system, True)]
        print(f"{system}: first excerpt answers {sum(yes)}/{len(yes)} = {sum(yes) / max(1, len(yes)):.3f}; "
              f"unanswerable handled well {sum(no)}/{len(no)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("make")
    m.add_argument("rows", type=Path)
    m.add_argument("items", type=Path)
    m.add_argument("key", type=Path)
    m.add_argument("--answerable", type=int, default=60)
    m.add_argument("--refused", type=int, default=15)
    m.add_argument("--seed", type=int, default=0)
    s = sub.add_parser("score")
    s.add_argument("key", type=Path)
    s.add_argument("grades", type=Path)
    args = parser.parse_args()
    if args.command == "make":
        make(args.rows, args.items, args.key, args.answerable, args.refused, args.seed)
    else:
        score(args.key, args.grades)


if __name__ == "__main__":
    main()
