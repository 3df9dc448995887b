"""Keyword search with BM25 (bm25s), kept next to Chroma because local Chroma has no sparse search."""

import functools
import itertools
import re
from dataclasses import dataclass

import numpy as np

from bot.datafiles import read_lines

_TOKEN = re.compile(r"[a-z0-9]+")


@functools.cache
def stopwords() -> frozenset[str]:
    """Words that carry no topic, from the bundled list."""
    return frozenset(read_lines("stopwords.txt"))


@functools.cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


@functools.lru_cache(maxsize=65536)
def normalise(word: str) -> str:
    """Stem a word, so 'listened' matches 'listen'; short plurals fold too, so 'PAs' matches 'PA'."""
    if len(word) <= 5 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return _stemmer().stemWord(word)


def tokenize(text: str) -> list[str]:
    """Lowercase content words, normalised, in order, with stopwords dropped."""
    text = text.lower().replace("’", "'").replace("'s ", " ")
    return [normalise(w) for w in _TOKEN.findall(text) if w not in stopwords() and len(w) > 1]


def with_phrases(tokens: list[str]) -> list[str]:
    """Tokens plus each adjacent pair joined, so 'young carers' outranks 'young people' and 'carers'."""
    return tokens + [f"{a}_{b}" for a, b in itertools.pairwise(tokens)]


@dataclass(frozen=True)
class KeywordHit:
    """A document's position in the index and its BM25 score."""

    index: int
    score: float


class KeywordIndex:
    """A BM25 index over chunk texts; document i is the i-th text given."""

    def __init__(self, texts: list[str]) -> None:
        import bm25s

        self.size = len(texts)
        self.retriever = bm25s.BM25()
        tokens = [with_phrases(tokenize(t)) or ["_empty_"] for t in texts]
        if texts:
            self.retriever.index(tokens, show_progress=False)
        # bm25s's own term table and its term-major score matrix give vocabulary and document frequency, so no
        # copy of either is kept: with phrase pairs a national index has millions of terms.
        self.vocab: dict[str, int] = self.retriever.vocab_dict if texts else {}
        self.document_frequency = np.diff(self.retriever.scores["indptr"]) if texts else np.zeros(0, dtype=int)

    def frequency(self, term: str) -> int:
        """How many chunks hold the term (a word, or an adjacent pair written "a_b")."""
        column = self.vocab.get(term)
        if column is None or column >= len(self.document_frequency):
            return 0
        return int(self.document_frequency[column])

    def idf(self, term: str) -> float:
        """Inverse document frequency, for weighting a query term in sentence scoring."""
        df = self.frequency(term)
        return float(np.log(1 + (self.size - df + 0.5) / (df + 0.5)))

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> list[KeywordHit]:
        """The k best documents for the query, restricted to `allowed` (a boolean mask) when given."""
        terms = [t for t in with_phrases(tokenize(query)) if t in self.vocab]
        if not terms or not self.size:
            return []
        scores = self.retriever.get_scores(terms)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argsort(-scores)[:k]
        return [KeywordHit(int(i), float(scores[i])) for i in top if scores[i] > 0]
