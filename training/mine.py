"""Turn the writers' checked lines into the reranker's training set, with mined negatives beside theirs.

Each answerable question keeps its answer and the writer's hard negatives, and gains up to four more from the
same report: the sentences that share the most rare words with the question (BM25 over that report), leaving out
the answer, its two neighbours and any sentence that would count as supporting it. Each question to refuse gains
the four sentences of the whole corpus that share the most words with it: what a loose ranker would quote.
Sentences carry their section heading, as candidates do in the answer path.

    python training/mine.py NATIONAL_DIR VALIDATED.jsonl OUT.jsonl
"""

import argparse
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sentences import body_of, units  # noqa: E402

MINED = 4
STOP = set(Path(__file__).resolve().parents[1].joinpath("bot/data/stopwords.txt").read_text().split())


def terms(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")) if len(w) > 2 and w not in STOP]


def overlaps(a: str, b: str) -> bool:
    """The evaluation's support rule: 6+ shared words and 60% of the shorter."""
    x, y = set(terms(a)), set(terms(b))
    shared = len(x & y)
    return shared >= 6 and shared >= 0.6 * min(len(x), len(y)) or a.strip() == b.strip()


def bm25(query: list[str], docs: list[list[str]], df: Counter, n: int, k1: float = 1.2, b: float = 0.75) -> list[float]:
    average = sum(map(len, docs)) / max(1, len(docs))
    idf = {t: math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) for t in set(query)}
    out = []
    for doc in docs:
        counts = Counter(doc)
        out.append(sum(idf[t] * counts[t] * (k1 + 1) / (counts[t] + k1 * (1 - b + b * len(doc) / average))
                       for t in set(query) if counts[t]))
    return out


class Index:
    """BM25 over many sentences through an inverted index, so one query costs only the sentences it shares words with."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for n, doc in enumerate(docs):
            for term, count in Counter(doc).items():
                self.postings.setdefault(term, []).append((n, count))
        self.lengths = [len(d) for d in docs]
        self.average = sum(self.lengths) / max(1, len(docs))
        self.k1, self.b, self.n = k1, b, len(docs)

    def top(self, query: list[str], k: int) -> list[int]:
        scores: Counter = Counter()
        for term in set(query):
            found = self.postings.get(term, [])
            idf = math.log(1 + (self.n - len(found) + 0.5) / (len(found) + 0.5))
            for doc, count in found:
                norm = self.k1 * (1 - self.b + self.b * self.lengths[doc] / self.average)
                scores[doc] += idf * count * (self.k1 + 1) / (count + norm)
        return [doc for doc, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("national", type=Path)
    parser.add_argument("validated", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    items = [json.loads(line) for line in args.validated.read_text(encoding="utf-8").splitlines()]
    reports: dict[str, list[dict]] = {}
    for path in sorted((args.national / "reports").glob("*.md")):
        reports[path.stem] = units(body_of(path.read_text(encoding="utf-8")))
    every = [(slug, u) for slug, found in reports.items() for u in found if u["kind"] != "heading"]
    index = Index([terms(u["text"]) for _, u in every])
    out = []
    for item in items:
        if not item["answerable"]:
            best = index.top(terms(item["question"]), MINED)
            item["mined"] = [{"text": every[i][1]["text"], "section": every[i][1]["section"]} for i in best]
            out.append(item)
            continue
        found = reports[item["report"]]
        texts = [u["text"] for u in found]
        where = texts.index(item["answer"])
        taken = {item["answer"], *item["negatives"]}
        docs = [terms(t) for t in texts]
        scores = bm25(terms(item["question"]), docs, Counter(t for d in docs for t in set(d)), len(docs))
        mined = []
        for i in sorted(range(len(texts)), key=lambda i: (-scores[i], i)):
            if len(mined) == MINED or scores[i] <= 0:
                break
            if abs(i - where) <= 1 or texts[i] in taken or overlaps(texts[i], item["answer"]):
                continue
            mined.append({"text": texts[i], "section": found[i]["section"]})
        section = {u["text"]: u["section"] for u in found}
        item["answer"] = {"text": item["answer"], "section": found[where]["section"]}
        item["negatives"] = [{"text": t, "section": section[t]} for t in item["negatives"]]
        item["mined"] = mined
        out.append(item)
    args.out.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in out), encoding="utf-8")
    print(f"wrote {len(out)} questions, {sum(len(i['mined']) for i in out)} mined negatives")


if __name__ == "__main__":
    main()
