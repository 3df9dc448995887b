"""What reranking can reach at all: how often a question's gold sentence is among its candidates and shortlists."""

from bot.evaluation.training import Item
from bot.retrieval.ranking import shortlist

RECALL_DEPTHS = (8, 16, 24, 32, 48, 64)


def candidate_recall(items: list[Item]) -> dict[str, float]:
    """Share of answerable questions with a supporting sentence among the candidates, and in the shortlist at
    each depth the cross-encoder might read: what reranking can reach at all."""
    answerable = [i for i in items if i.question.answerable and i.training]
    if not answerable:
        return {}
    out = {"candidates": sum(bool(i.labels.any()) for i in answerable) / len(answerable)}
    for depth in RECALL_DEPTHS:
        hits = sum(bool(i.labels[shortlist(i.prepared.candidates, depth)].any()) for i in answerable
                   if len(i.labels))
        out[f"shortlist@{depth}"] = hits / len(answerable)
    return {name: round(value, 4) for name, value in out.items()}
