"""How often a question's gold sentence is among its candidates at all, for one embedding model: the recall that
bounds every reranker (issue 21, deliverable 4). Compare the packaged model with a fine-tuned one side by side, each
on a store built with it; the intent model is refitted for any other model, as `make train` would.

Usage: PYTHONPATH=. python benchmarks/candidates.py [--embedding-model DIR] [--chunks 12,16,24] [--across 24,48]
       QUESTIONS.jsonl=CHROMA_PATH...

--chunks sets how many chunks a question about named councils reads, --across how many a question across councils
reads; each pair is tried in turn, and recall is printed for all questions and by kind.
"""

import argparse
import json
import time
from pathlib import Path

import bot.retrieval.answerer as answering
from bot.cli.training import train_intent
from bot.embedder import load_embedder
from bot.evaluation.questions import load_questions
from bot.evaluation.recall import candidate_recall
from bot.evaluation.training import prepare_items
from bot.logs import configure_logging
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.settings import PACKAGED_MODEL, Settings
from bot.store.client import open_store


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", metavar="QUESTIONS=CHROMA_PATH")
    parser.add_argument("--embedding-model", default=PACKAGED_MODEL)
    parser.add_argument("--chunks", default=str(answering.CANDIDATE_CHUNKS),
                        help="comma-separated candidate chunk counts to try (the shipped count first)")
    parser.add_argument("--across", default=str(answering.ACROSS_CHUNKS),
                        help="comma-separated chunk counts for questions across councils (the shipped count first)")
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    base = Settings(_env_file=None, embedding_model=args.embedding_model)
    embedder = load_embedder(base)
    intents = train_intent(embedder, 0)[0] if args.embedding_model != PACKAGED_MODEL else None
    out = {"embedding_model": embedder.model_id}
    sizes = [(int(n), int(m)) for n in args.chunks.split(",") for m in args.across.split(",")]
    for size, across in sizes:
        answering.CANDIDATE_CHUNKS, answering.ACROSS_CHUNKS = size, across
        items = []
        started = time.perf_counter()
        for spec in args.sets:
            path, store = spec.split("=")
            settings = base.model_copy(update={"chroma_path": Path(store)})
            answerer = Answerer(Reader(Knowledge(open_store(settings, embedder.model_id)), embedder, intents))
            items += prepare_items(load_questions(path), Path(path).stem, answerer)
        recall = candidate_recall(items)
        label = f"chunks={size} across={across}"
        out[label] = {"all": recall} | {kind: candidate_recall([i for i in items if i.question.kind == kind])
                                        for kind in sorted({i.question.kind for i in items})}
        print(f"{embedder.model_id} {label}: " + ", ".join(f"{k} {v:.3f}" for k, v in recall.items())
              + f" ({len(items)} questions, {time.perf_counter() - started:.0f} s)", flush=True)
        for kind, by_kind in out[label].items():
            if kind != "all" and by_kind:
                print(f"  {kind}: candidates {by_kind['candidates']:.3f}, shortlist@32 {by_kind['shortlist@32']:.3f}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
