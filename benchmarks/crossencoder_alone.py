"""Out of fold, which sentence comes first: the cross-encoder alone (among the candidates it read), the first stage,
or the ranker (issue 21). Shows whether the cross-encoder can rank the labelled questions' candidates by itself.

Usage: PYTHONPATH=. python benchmarks/crossencoder_alone.py FOLDS_DIR QUESTIONS.jsonl=CHROMA_PATH...

FOLDS_DIR holds fold-0.onnx … fold-4.onnx and their cards, as `findings train ranker --reranker-folds` leaves
them (a fold model that is missing, or did not leave out its fold's councils, is trained first, as there). Each
fold's first stage and ranker are fitted without the fold's questions, as in `findings train ranker`, once with the
fold's cross-encoder and once with the shipped one. A question counts when its first candidate supports a gold
quote (candidate labels, before excerpts are cut); answerable questions only.
"""

import argparse
from collections import defaultdict
from pathlib import Path

import numpy as np

from bot.cli.training import fold_rerankers, set_label, train_intent
from bot.embedder import load_embedder
from bot.evaluation.questions import load_questions
from bot.evaluation.training import FOLDS, _pipeline, fold_of_groups, item_fold, prepare_items
from bot.logs import configure_logging
from bot.retrieval.answerer import Answerer
from bot.retrieval.features import FEATURES, columns
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.retrieval.reranker import KeptScores, load_reranker
from bot.settings import Settings
from bot.store.client import open_store


def firsts(item, ranker) -> dict[str, bool]:
    """Whether the first candidate by each scorer supports the gold, and whether the gold was read at all."""
    prepared, labels = item.prepared, item.labels
    read = prepared.read
    cross = prepared.features[:, len(FEATURES)]
    sentences = ranker.sentences.probabilities(columns(prepared.features, ranker.sentences.names))
    first = ranker.first.probabilities(columns(prepared.features, ranker.first.names))
    return {"gold read": bool(labels[read].any()),
            "cross-encoder alone": bool(labels[read[int(np.argmax(cross[read]))]]),
            "first stage": bool(labels[int(np.argmax(first))]), "ranker": bool(labels[int(np.argmax(sentences))])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folds", type=Path)
    parser.add_argument("sets", nargs="+", metavar="QUESTIONS=CHROMA_PATH")
    args = parser.parse_args()
    configure_logging("WARNING")
    settings = Settings(_env_file=None)
    embedder = load_embedder(settings)
    intents, _ = train_intent(embedder, 0)
    shipped = KeptScores(load_reranker())
    answerers, items = {}, []
    for spec in args.sets:
        path, _, store = spec.partition("=")
        if store not in answerers:
            chosen = settings.model_copy(update={"chroma_path": Path(store), "chroma_url": None})
            answerers[store] = Answerer(Reader(Knowledge(open_store(chosen, embedder.model_id)), embedder, intents),
                                        reranker=shipped)
        items += prepare_items(load_questions(path), set_label(Path(path), store), answerers[store])
    # The same fold models `findings train ranker` reads, checked to have left out every council their fold touches.
    folds = [KeptScores(r) for r in fold_rerankers(items, 0, args.folds)]
    fold_of = fold_of_groups(items, 0)
    tally: dict[tuple[str, str], list[dict[str, bool]]] = defaultdict(list)
    for label, rerankers in (("fold's", folds), ("shipped", [shipped] * FOLDS)):
        for fold in range(FOLDS):
            seen, ranker = _pipeline(items, [i for i in items if fold_of[i.group] != fold], 0, rerankers[fold], None)
            for item in seen:
                if (item_fold(item, fold_of, FOLDS) == fold and item.question.answerable and len(item.labels)
                        and not item.prepared.refusal):
                    row = firsts(item, ranker)
                    tally[(label, item.question.kind)].append(row)
                    tally[(label, "all")].append(row)
    for (label, kind), rows in sorted(tally.items()):
        shares = "  ".join(f"{name} {sum(r[name] for r in rows) / len(rows):.3f}" for name in rows[0])
        print(f"{label:8} cross-encoder  {kind:12} n={len(rows):3}  {shares}")


if __name__ == "__main__":
    main()
