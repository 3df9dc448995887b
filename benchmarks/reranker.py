"""Measure what reading more candidates with the cross-encoder costs: milliseconds per question at each depth, on
the real shortlists of real questions, beside how often the gold sentence is in the shortlist at that depth.

The depth the answer path uses (RERANK_DEPTH) is chosen from this table and `findings train ranker`'s
candidate recall.

Usage: PYTHONPATH=. python benchmarks/reranker.py --chroma-path DIR QUESTIONS.jsonl [--depths 16,24,32,48]
"""

import argparse
import time
from pathlib import Path

from bot.cli.wiring import build_answerer
from bot.evaluation.metrics import percentile
from bot.evaluation.questions import load_questions
from bot.evaluation.training import candidate_labels
from bot.logs import configure_logging
from bot.retrieval.ranking import shortlist
from bot.retrieval.reranker import read_candidates
from bot.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", type=Path)
    parser.add_argument("--chroma-path", type=Path, required=True)
    parser.add_argument("--depths", default="16,24,32,48")
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    answerer = build_answerer(Settings(_env_file=None, chroma_path=args.chroma_path))
    answerer.ask("warm the model and the keyword index")
    prepared = [(q, answerer.prepare(answerer.reader.question(q.question))) for q in load_questions(args.questions)]
    prepared = [(q, p) for q, p in prepared if p.candidates]
    print(f"{len(prepared)} questions with candidates; candidates per question p50 "
          f"{percentile([len(p.candidates) for _, p in prepared], 50):.0f}")
    for depth in (int(d) for d in args.depths.split(",")):
        ms, found, answerable = [], 0, 0
        for question, p in prepared:
            read = shortlist(p.candidates, depth)
            started = time.perf_counter()
            read_candidates(answerer.reranker, p.question, p.candidates, read)
            ms.append((time.perf_counter() - started) * 1000)
            if question.answerable:
                answerable += 1
                found += bool(candidate_labels(p, question)[read].any())
        print(f"depth {depth:>3}: cross-encoder p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms; "
              f"gold in the shortlist {found / max(1, answerable):.3f} of {answerable}")


if __name__ == "__main__":
    main()
