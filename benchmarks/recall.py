"""Measure how much of exact search the HNSW index finds: recall@k of Chroma's approximate search against
brute force over every stored vector, for the questions in eval files, over chunks and over sentences,
unfiltered and filtered to the local authority of each question's first gold report.

Boilerplate makes many stored vectors identical, so a result counts as found when it is one of the exact
top k or ties with the k-th (cosine within 1e-6): which of several identical sentences comes back is arbitrary.

Usage: PYTHONPATH=. python benchmarks/recall.py --chroma-path DIR [--k 10] QUESTIONS.jsonl...
"""

import argparse
import json
import time
from pathlib import Path

import numpy as np

from bot.embedder import load_embedder
from bot.logs import configure_logging
from bot.settings import Settings
from bot.store.chroma import PAGE
from bot.store.client import open_store


def all_vectors(collection) -> tuple[list[str], list[str], np.ndarray]:
    """Every id, its report id and its vector, paged out of a collection."""
    ids, reports, vectors = [], [], []
    offset = 0
    while True:
        page = collection.get(include=["embeddings", "metadatas"], limit=PAGE, offset=offset)
        ids += page["ids"]
        reports += [m["report_id"] for m in page["metadatas"]]
        vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
        if len(page["ids"]) < PAGE:
            break
        offset += PAGE
    return ids, reports, np.vstack(vectors)


def exact(matrix: np.ndarray, allowed: np.ndarray | None, query: np.ndarray, k: int) -> tuple[np.ndarray, float]:
    """Cosine similarity to every stored vector (they are unit length; -inf outside `allowed`), and the k-th best."""
    scores = matrix @ query
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    return scores, float(np.sort(scores)[-k])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--chroma-path", type=Path, required=True)
    parser.add_argument("--collection", default="findings")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--ef-search", type=int, help="set ef_search on both collections first (it persists)")
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    settings = Settings(_env_file=None, chroma_path=args.chroma_path, collection=args.collection)
    embedder = load_embedder(settings)
    store = open_store(settings, embedder.model_id)
    reports = store.reports()
    if args.ef_search:
        for collection in (store.chunks, store.sentences):
            collection.modify(configuration={"hnsw": {"ef_search": args.ef_search}})
    rows = [json.loads(line) for path in args.questions for line in path.read_text().splitlines() if line.strip()]
    vectors = embedder.embed([r["question"] for r in rows])
    print(f"{len(rows)} questions; {len(reports)} reports")
    for name, collection in (("chunks", store.chunks), ("sentences", store.sentences)):
        started = time.perf_counter()
        ids, owners, matrix = all_vectors(collection)
        owners_array = np.array(owners)
        row_of = {sid: i for i, sid in enumerate(ids)}
        print(f"{name}: {len(ids)} vectors read in {time.perf_counter() - started:.1f} s")
        for filtered in (False, True):
            recalls = []
            for row, vector in zip(rows, vectors, strict=True):
                where, allowed = None, None
                if filtered:
                    gold = [g["report"] for g in row.get("gold", []) if g["report"] in reports]
                    if not gold:
                        continue
                    la = reports[gold[0]].report.local_authority
                    scope = sorted(rid for rid, s in reports.items() if s.report.local_authority == la)
                    where = {"report_id": {"$in": scope}}
                    allowed = np.isin(owners_array, scope)
                scores, kth = exact(matrix, allowed, vector, args.k)
                if name == "chunks":
                    found = [h.id for h in store.query(vector.tolist(), args.k, where)]
                else:
                    hits = store.query_sentences(vector.tolist(), args.k, where)
                    found = [f"{cid}:{order}" for cid, order, _ in hits]
                good = sum(1 for sid in found if scores[row_of[sid]] >= kth - 1e-6)
                recalls.append(min(good, args.k) / args.k)
            label = "filtered to the question's LA" if filtered else "unfiltered"
            print(f"  {label}: recall@{args.k} mean {np.mean(recalls):.4f}, min {min(recalls):.2f} "
                  f"over {len(recalls)} queries ({sum(r == 1.0 for r in recalls)} perfect)")


if __name__ == "__main__":
    main()
