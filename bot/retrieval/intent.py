"""What kind of answer a question wants, learned from example questions rather than one pattern per phrasing.

A multinomial logistic regression over the question's embedding and its letter grams (both with its places and
years blanked, so the council does not decide the kind) and a few plain signals: which cues the phrase table
finds, and whether a council, a year, a region, a judgement area or a grade is named. It is trained by
`findings train` from `bot/data/route_examples.csv` and kept as weights in `bot/data/intent.json`.
"""

import re
import zlib
from dataclasses import dataclass

import numpy as np

from bot.datafiles import read_json
from bot.language.grades import NAMED_GRADE
from bot.retrieval.query import ParsedQuery
from bot.retrieval.ranking import judgement_areas

ROUTES = ("quotes", "overview", "method", "grades", "grades_list", "improvement", "facts", "other")
CUES = ("judgement", "improvement", "overview")
INTENT_FILE = "intent.json"
GRAM_DIMENSIONS = 4096
# The answer engine's older, coarser intents, which decide where to look for structural answers.
# The kind of answer each route gets: the quotes path serves the headline, the method and off-topic questions too.
ANSWER_KIND = {"quotes": "quotes", "overview": "quotes", "method": "quotes", "other": "quotes", "grades": "grades",
               "grades_list": "grades_list", "improvement": "improvement", "facts": "facts"}
COARSE = {"grades": "judgement", "grades_list": "judgement", "improvement": "improvement", "overview": "overview"}


def signals(parsed: ParsedQuery) -> np.ndarray:
    """The plain signals beside the embedding: phrase-table cues; a council, year, region, judgement area or grade."""
    cues = [float(cue in parsed.cues) for cue in CUES]
    named = [parsed.local_authorities, parsed.years, parsed.regions,
             judgement_areas(parsed.text) != ("overall effectiveness",), NAMED_GRADE.search(parsed.text)]
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

    routes: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, features: np.ndarray) -> dict[str, float]:
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
        return cls(tuple(data["routes"]), np.array(data["weights"], dtype=np.float32),
                   np.array(data["bias"], dtype=np.float32))


def load_intent_model() -> IntentModel:
    """The trained intent model shipped in bot/data."""
    return IntentModel.from_json(read_json(INTENT_FILE))


def best_route(probabilities: dict[str, float]) -> str:
    """The most likely route."""
    return max(probabilities, key=probabilities.get)


def answer_kind(probabilities: dict[str, float]) -> str:
    """The kind of answer to give: the kind whose routes together are most likely."""
    kinds: dict[str, float] = {}
    for route, p in probabilities.items():
        kinds[ANSWER_KIND.get(route, "quotes")] = kinds.get(ANSWER_KIND.get(route, "quotes"), 0.0) + p
    return max(kinds, key=kinds.get)


def leaning(probabilities: dict[str, float]) -> dict[str, float]:
    """How strongly a question asks for grades, improvements, the headline or the method: ranker inputs."""
    p = probabilities
    return {
        "grades": p.get("grades", 0.0) + p.get("grades_list", 0.0),
        "improvement": p.get("improvement", 0.0),
        "overview": p.get("overview", 0.0),
        # A question about the report itself (who led it, what it covered) is answered from its method text too.
        "method": p.get("method", 0.0) + p.get("facts", 0.0),
    }


def coarse_intent(probabilities: dict[str, float]) -> str:
    """The most likely route as the engine's structural intent: judgement, improvement, overview or general."""
    best = max(probabilities, key=probabilities.get) if probabilities else "quotes"
    return COARSE.get(best, "general")
