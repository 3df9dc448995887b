"""What kind of answer a question wants, learned from example questions rather than one pattern per phrasing.

A multinomial logistic regression over the question's embedding (with its places and years blanked, so the
council does not decide the kind) and a few plain signals: which cues the phrase table finds, and whether a
council, a year or a region is named. It is trained by `findings train` from `bot/data/route_examples.csv`
and kept as weights in `bot/data/intent.json`.
"""

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from bot.query import ParsedQuery

ROUTES = ("quotes", "overview", "method", "grades", "grades_list", "improvement", "facts", "other")
CUES = ("judgement", "improvement", "overview")
INTENT_FILE = "intent.json"
# The answer engine's older, coarser intents, which decide where to look for structural answers.
COARSE = {"grades": "judgement", "grades_list": "judgement", "improvement": "improvement", "overview": "overview"}


def signals(parsed: ParsedQuery) -> np.ndarray:
    """The plain signals beside the embedding: phrase-table cues, and a council or year named."""
    cues = [float(cue in parsed.cues) for cue in CUES]
    return np.array([*cues, float(bool(parsed.local_authorities)), float(bool(parsed.years))], dtype=np.float32)


def intent_features(vector: np.ndarray, parsed: ParsedQuery) -> np.ndarray:
    """One question's input row: its frame embedding followed by the signals."""
    return np.concatenate([np.asarray(vector, dtype=np.float32), signals(parsed)])


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
    text = resources.files("bot").joinpath("data", INTENT_FILE).read_text(encoding="utf-8")
    return IntentModel.from_json(json.loads(text))


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
