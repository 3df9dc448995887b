"""Check the question writers' output and resolve sentence ids into the verbatim training set.

Each input line is one of
    {"report": SLUG, "question": "...", "answer": ID, "negatives": [ID, ...], "kind": KIND}
    {"question": "...", "answerable": false, "why": WHY}
with ids from `sentences.py`. A line is refused (and counted, with its reason) when its report or ids are unknown,
it has no 1–3 negatives distinct from its answer, its question copies five or more consecutive words of its
answer, or it repeats an earlier question. What passes is written with the sentences' exact text.

    python training/validate.py SENT_DIR CATALOGUE OUT.jsonl PART.jsonl [PART.jsonl ...] [--check]
"""

import argparse
import csv
import json
import re
from collections import Counter
from pathlib import Path

KINDS = {"finding", "judgement", "headline", "improvement", "focus", "service", "fact"}
WHYS = {"not_covered", "not_held", "workplace", "personal"}
RUN = 5


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def copies(question: str, answer: str, run: int = RUN) -> bool:
    """True when the question holds `run` consecutive words of the answer."""
    q, a = words(question), words(answer)
    grams = {tuple(a[i:i + run]) for i in range(len(a) - run + 1)}
    return any(tuple(q[i:i + run]) in grams for i in range(len(q) - run + 1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sent", type=Path)
    parser.add_argument("catalogue", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("parts", type=Path, nargs="+")
    parser.add_argument("--check", action="store_true", help="report only; write nothing")
    args = parser.parse_args()
    catalogue = {r["slug"]: r for r in csv.DictReader(args.catalogue.open(encoding="utf-8"))}
    seen: set[str] = set()
    refused: Counter = Counter()
    kept: list[dict] = []
    for part in args.parts:
        for number, line in enumerate(part.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                question = item["question"].strip()
            except (json.JSONDecodeError, KeyError, AttributeError):
                refused["not JSON with a question"] += 1
                continue
            key = " ".join(words(question))
            if key in seen:
                refused["repeated question"] += 1
                continue
            if item.get("answerable") is False:
                if item.get("why") not in WHYS:
                    refused["refusal without a known why"] += 1
                    continue
                seen.add(key)
                kept.append({"id": f"{part.stem}-{number}", "question": question, "answerable": False,
                             "why": item["why"]})
                continue
            row = catalogue.get(item.get("report", ""))
            if row is None:
                refused["unknown report"] += 1
                continue
            texts = json.loads((args.sent / f"{row['slug']}.json").read_text(encoding="utf-8"))
            answer, negatives = item.get("answer"), item.get("negatives") or []
            ids = [answer, *negatives]
            if not all(isinstance(i, int) and 0 <= i < len(texts) for i in ids):
                refused["sentence id out of range"] += 1
                continue
            if not 1 <= len(negatives) <= 3 or answer in negatives or len(set(negatives)) != len(negatives):
                refused["not 1-3 distinct negatives"] += 1
                continue
            if copies(question, texts[answer]):
                refused[f"copies {RUN}+ words of its answer"] += 1
                continue
            seen.add(key)
            kept.append({
                "id": f"{part.stem}-{number}", "question": question, "answerable": True,
                "report": row["slug"], "council": row["local_authority"], "type": row["report_type"],
                "kind": item.get("kind") if item.get("kind") in KINDS else "finding",
                "answer": texts[answer], "negatives": [texts[n] for n in negatives],
            })
    answerable = [k for k in kept if k["answerable"]]
    print(f"kept {len(kept)}: {len(answerable)} answerable over {len({k['report'] for k in answerable})} reports, "
          f"{len({k['council'] for k in answerable})} councils; {len(kept) - len(answerable)} to refuse")
    print("by type:", dict(Counter(k["type"] for k in answerable)))
    print("by kind:", dict(Counter(k["kind"] for k in answerable)))
    print("refusals by why:", dict(Counter(k["why"] for k in kept if not k["answerable"])))
    print("refused lines:", dict(refused) or "none")
    if not args.check:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("".join(json.dumps(k, ensure_ascii=False) + "\n" for k in kept), encoding="utf-8")


if __name__ == "__main__":
    main()
