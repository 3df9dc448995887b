"""The learned ranker and abstention: logistic regressions over the features, weights kept as a data file.

Logistic regression was chosen over LambdaRank because there are a few hundred labelled questions and a few
dozen features: a linear model does not memorise them, its weights can be read and checked for sign, and its
output is a probability, which the abstention and the excerpt floor can use directly. `findings train` fits
both models by grouped cross-validation and writes `bot/data/ranker.json`.
"""

from dataclasses import dataclass

import numpy as np

from bot.datafiles import read_json

RANKER_FILE = "ranker.json"
FOLDS_FILE = "ranker_folds.json"
# What a question's best candidates say about whether anything answers it at all.
# Each is on the same scale whatever the size of the store, so a model trained at national scale fits a small one.
EVIDENCE = ("top", "dense", "rare", "lexical", "scoped", "key_coverage", "off_topic", "cross")


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


@dataclass(frozen=True)
class Linear:
    """A standardised logistic regression: p = sigmoid(((x - mean) / scale) . weights + bias)."""

    names: tuple[str, ...]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """The probability for each row of features (columns in `names` order)."""
        if not len(rows):
            return np.zeros(0)
        return _sigmoid(((rows - self.mean) / self.scale) @ self.weights + self.bias)

    def to_json(self) -> dict:
        """Plain JSON, each weight named so that a reader can check its sign."""
        return {
            "bias": round(float(self.bias), 6),
            "features": {name: {"weight": round(float(w), 6), "mean": round(float(m), 6), "scale": round(float(s), 6)}
                         for name, w, m, s in zip(self.names, self.weights, self.mean, self.scale, strict=True)},
        }

    @classmethod
    def from_json(cls, data: dict) -> "Linear":
        """Read what `to_json` wrote."""
        names = tuple(data["features"])
        column = {key: np.array([data["features"][n][key] for n in names]) for key in ("weight", "mean", "scale")}
        return cls(names, column["weight"], float(data["bias"]), column["mean"], column["scale"])


@dataclass(frozen=True)
class Ranker:
    """Scores candidates, and decides from a question's best evidence whether to answer at all."""

    sentences: Linear
    abstention: Linear
    threshold: float  # answer when the abstention model's probability is at least this
    # The sentence model without the cross-encoder's columns: it picks the candidates the cross-encoder reads.
    first: Linear | None = None

    def answers(self, evidence: dict[str, float]) -> bool:
        """True when the abstention model finds the evidence strong enough to answer."""
        row = np.array([[evidence[name] for name in self.abstention.names]])
        row = np.where(np.isnan(row), self.abstention.mean, row)  # unknown evidence counts as its average
        return bool(self.abstention.probabilities(row)[0] >= self.threshold)

    def to_json(self) -> dict:
        """Both models and the threshold as plain JSON."""
        out = {"sentences": self.sentences.to_json(), "abstention": self.abstention.to_json(),
               "threshold": round(self.threshold, 6)}
        return out | ({"first": self.first.to_json()} if self.first else {})

    @classmethod
    def from_json(cls, data: dict) -> "Ranker":
        """Read what `to_json` wrote."""
        first = Linear.from_json(data["first"]) if "first" in data else None
        return cls(Linear.from_json(data["sentences"]), Linear.from_json(data["abstention"]), float(data["threshold"]),
                   first)


def _data(name: str) -> dict:
    return read_json(name)


def load_ranker() -> Ranker:
    """The ranker trained on every labelled question, shipped in bot/data."""
    return Ranker.from_json(_data(RANKER_FILE))


def load_fold_rankers() -> list[tuple[frozenset[str], Ranker]]:
    """Each cross-validation fold's ranker with the question groups it was NOT trained on."""
    return [(frozenset(f["held_out"]), Ranker.from_json(f["ranker"])) for f in _data(FOLDS_FILE)["folds"]]
