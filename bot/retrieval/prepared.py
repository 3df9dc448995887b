"""A question read and retrieved but not yet scored, and the evidence its best candidates give for answering."""

import math
from dataclasses import dataclass, field

import numpy as np

from bot.answer import Filters
from bot.retrieval.candidates import sentence_tokens
from bot.retrieval.excerpt import ChunkText
from bot.retrieval.features import CROSS_FLOOR, FEATURES
from bot.retrieval.intent import Kind
from bot.retrieval.ranking import Candidate

# An answer's best few excerpts should contain at least one of the question's rarest words.
TOP_EXCERPTS = 5


@dataclass
class Prepared:
    """A question read and retrieved, its candidates measured but not yet scored: what any ranker can finish."""

    question: str
    scope: Filters = field(default_factory=Filters)
    refusal: str = ""  # set when the question is refused before retrieval (no such council, no such year...)
    looks_for: Kind = Kind.QUOTES  # where the quotes path looked besides retrieval
    candidates: list[Candidate] = field(default_factory=list)
    features: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    chunks: dict[str, ChunkText] = field(default_factory=dict)
    key_terms: tuple[str, ...] = ()  # the question's rarest topic words: an answer should contain them
    off_topic: float = 0.0  # how likely the question is not about inspections at all (the router's "other")
    single: bool = False
    compare: bool = False
    read: list[int] = field(default_factory=list)  # the candidates the cross-encoder read (their indices)
    years: tuple[int, ...] = ()  # the years the question names, which bound a question about change
    # False for a question that is all cue ("How is Dorset doing?"): no topic for the cross-encoder to judge
    topical: bool = True


def best_cross(prepared: Prepared) -> float:
    """The cross-encoder's best logit for the question: does any candidate it read answer it?"""
    column = prepared.features[:, len(FEATURES)] if len(prepared.features) else np.zeros(0)
    return float(column.max()) if len(column) else CROSS_FLOOR


def evidence(prepared: Prepared, probabilities: np.ndarray) -> dict[str, float]:
    """What a question's best candidates say about whether anything answers it: the abstention's inputs."""
    candidates = prepared.candidates
    top = float(np.clip(probabilities.max(), 1e-9, 1 - 1e-9))
    return {
        "top": math.log(top / (1 - top)),
        "dense": max(c.dense for c in candidates),
        "rare": max(c.rare for c in candidates),
        "lexical": max(c.lexical for c in candidates),
        "scoped": float(bool(prepared.scope.local_authorities)),
        "key_coverage": key_coverage(prepared, probabilities),
        "off_topic": prepared.off_topic,
        # With no topic, the cross-encoder's verdict says nothing; the abstention reads it as unknown (its mean).
        "cross": best_cross(prepared) if prepared.topical else math.nan,
    }


def key_coverage(prepared: Prepared, probabilities: np.ndarray) -> float:
    """Share of the question's rarest words that the best-scored candidates contain."""
    if not prepared.key_terms:
        return 1.0
    best = np.argsort(-probabilities)[:TOP_EXCERPTS]
    present = {t for i in best for t in sentence_tokens(prepared.candidates[i].text)}
    return sum(t in present for t in prepared.key_terms) / len(prepared.key_terms)
