"""What kind of answer a question wants, learned from example questions rather than one pattern per phrasing.

A multinomial logistic regression over the question's embedding and its letter grams (both with its places and
years blanked, so the council does not decide the kind) and a few plain signals: which cues the phrase table
finds, and whether a council, a year, a region, a judgement area or a grade is named. It is trained by
`findings train` from `bot/data/route_examples.csv` and kept as weights in `bot/data/intent.json`.
"""

import re
import zlib
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from bot.datafiles import read_json
from bot.language.areas import OVERALL_KEY
from bot.language.grades import NAMED_GRADE
from bot.retrieval.query import ParsedQuery
from bot.retrieval.ranking import judgement_areas


class Kind(StrEnum):
    """What a question wants: the intent model's routes, the one vocabulary for kinds of question and answer."""

    QUOTES = "quotes"
    OVERVIEW = "overview"
    METHOD = "method"
    GRADES = "grades"
    GRADES_LIST = "grades_list"
    IMPROVEMENT = "improvement"
    FACTS = "facts"
    OTHER = "other"

    @property
    def answer(self) -> "Kind":
        """The kind of answer this route gets: the quotes path serves the headline, the method and off-topic too."""
        return self if self in (Kind.GRADES, Kind.GRADES_LIST, Kind.IMPROVEMENT, Kind.FACTS) else Kind.QUOTES

    @property
    def looks_for(self) -> "Kind":
        """Where the quotes path looks besides retrieval: the judgement table (GRADES), the list of what needs to
        improve (IMPROVEMENT), the headline (OVERVIEW), or nowhere in particular (QUOTES)."""
        return {Kind.GRADES_LIST: Kind.GRADES}.get(self, self) if self in _STRUCTURAL else Kind.QUOTES


_STRUCTURAL = (Kind.GRADES, Kind.GRADES_LIST, Kind.IMPROVEMENT, Kind.OVERVIEW)
ROUTES = tuple(Kind)
CUES = ("judgement", "improvement", "overview")
INTENT_FILE = "intent.json"
GRAM_DIMENSIONS = 4096


def signals(parsed: ParsedQuery) -> np.ndarray:
    """The plain signals beside the embedding: phrase-table cues; a council, year, region, judgement area or grade."""
    cues = [float(cue in parsed.cues) for cue in CUES]
    named = [parsed.local_authorities, parsed.years, parsed.regions,
             judgement_areas(parsed.text) != (OVERALL_KEY,), NAMED_GRADE.search(parsed.text)]
    return np.array([*cues, *(float(bool(n)) for n in named)], dtype=np.float32)


def char_grams(text: str) -> np.ndarray:
    """Character 2- to 5-grams of each word, hashed into GRAM_DIMENSIONS buckets, log counts, unit length.

    Cues are short and spelt many ways ("recs", "reccomendations", "AFDs", "to-do"); their letters carry them
    where a sentence embedding blurs them into the topic. Hashing (crc32) keeps no vocabulary to ship.
    """
    counts = np.zeros(GRAM_DIMENSIONS, dtype=np.float32)
    for word in re.findall(r"[a-z0-9&']+", text.lower()):
        padded = f" {word} "
        for n in range(2, 6):
            for i in range(max(1, len(padded) - n + 1)):
                counts[zlib.crc32(padded[i : i + n].encode()) % GRAM_DIMENSIONS] += 1
    counts = np.log1p(counts)
    norm = float(np.linalg.norm(counts))
    return counts / norm if norm else counts


def intent_features(vector: np.ndarray, parsed: ParsedQuery) -> np.ndarray:
    """One question's input row: its frame embedding, its frame's letter grams, then the signals."""
    frame = parsed.frame_text or parsed.text
    return np.concatenate([np.asarray(vector, dtype=np.float32), char_grams(frame), signals(parsed)])


@dataclass(frozen=True)
class IntentModel:
    """Weights of the multinomial logistic regression, one row per route."""

    routes: tuple[Kind, ...]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, features: np.ndarray) -> dict[Kind, float]:
        """Each route's probability for one question's feature row."""
        logits = self.weights @ features + self.bias
        exp = np.exp(logits - logits.max())
        shares = exp / exp.sum()
        return {route: float(p) for route, p in zip(self.routes, shares, strict=True)}

    def to_json(self) -> dict:
        """The weights as plain JSON, rounded so the data file stays small and diffs stay readable."""
        return {"routes": list(self.routes), "bias": np.round(self.bias, 5).tolist(),
                "weights": np.round(self.weights, 5).tolist()}

    @classmethod
    def from_json(cls, data: dict) -> "IntentModel":
        """Read the weights written by `to_json`."""
        return cls(tuple(Kind(r) for r in data["routes"]), np.array(data["weights"], dtype=np.float32),
                   np.array(data["bias"], dtype=np.float32))


def load_intent_model() -> IntentModel:
    """The trained intent model shipped in bot/data."""
    return IntentModel.from_json(read_json(INTENT_FILE))


def best_route(probabilities: dict[Kind, float]) -> Kind:
    """The most likely route."""
    return max(probabilities, key=probabilities.get) if probabilities else Kind.QUOTES


def answer_kind(probabilities: dict[Kind, float]) -> Kind:
    """The kind of answer to give: the kind whose routes together are most likely."""
    kinds: dict[Kind, float] = {}
    for route, p in probabilities.items():
        kinds[Kind(route).answer] = kinds.get(Kind(route).answer, 0.0) + p
    return max(kinds, key=kinds.get)


def leaning(probabilities: dict[Kind, float]) -> dict[str, float]:
    """How strongly a question asks for grades, improvements, the headline or the method: ranker inputs."""
    p = probabilities
    return {
        "grades": p.get(Kind.GRADES, 0.0) + p.get(Kind.GRADES_LIST, 0.0),
        "improvement": p.get(Kind.IMPROVEMENT, 0.0),
        "overview": p.get(Kind.OVERVIEW, 0.0),
        # A question about the report itself (who led it, what it covered) is answered from its method text too.
        "method": p.get(Kind.METHOD, 0.0) + p.get(Kind.FACTS, 0.0),
    }
