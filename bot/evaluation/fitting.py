"""Fitting the learned models: standardised logistic regressions, grouped folds and abstention thresholds.

scikit-learn is needed only here, to train (`pip install findings[train]`); answering reads the weights alone.
Everything is deterministic for a given seed: folds are dealt from a seeded shuffle of the sorted groups, and
the solver (lbfgs) has no randomness of its own.
"""

from collections.abc import Sequence

import numpy as np

from bot.errors import ConfigError
from bot.retrieval.intent import IntentModel, Kind
from bot.retrieval.ranker import Linear

# How much each model is held back from its training data (scikit-learn's C, on standardised features).
RANKER_C = 1.0
ABSTENTION_C = 1.0
INTENT_C = 30.0
# The abstention threshold is the highest that keeps false abstention on the training questions at most this
# (0.01 refused 0.9% of answerable questions out of fold but let loosely related quotes through; 0.02 refuses more).
FALSE_ABSTENTION_BUDGET = 0.02


def _logistic(c: float, seed: int, class_weight=None):
    try:
        from sklearn.linear_model import LogisticRegression
    except ImportError:  # a deployment installs without the training extra
        raise ConfigError("training needs scikit-learn: pip install 'findings[train]'") from None
    return LogisticRegression(C=c, max_iter=2000, random_state=seed, class_weight=class_weight)


def _standardise(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def fit_linear(rows: np.ndarray, labels: np.ndarray, names: Sequence[str], *, c: float, seed: int,
               weights: np.ndarray | None = None, balanced: bool = False) -> Linear:
    """A standardised binary logistic regression; `weights` give each row's share of the loss."""
    mean, scale = _standardise(rows)
    model = _logistic(c, seed, "balanced" if balanced else None)
    model.fit((rows - mean) / scale, labels, sample_weight=weights)
    return Linear(tuple(names), model.coef_[0].astype(np.float64), float(model.intercept_[0]), mean, scale)


def fit_intent(rows: np.ndarray, routes: Sequence[str], *, seed: int, c: float = INTENT_C) -> IntentModel:
    """A multinomial logistic regression over question rows (unit embeddings and 0/1 signals, so not rescaled)."""
    order = tuple(sorted(set(routes)))
    model = _logistic(c, seed)
    model.fit(rows, np.array([order.index(r) for r in routes]))
    weights, bias = model.coef_, model.intercept_
    if len(order) == 2:  # scikit-learn fits two classes as one logit; as a softmax it is half each way
        weights, bias = np.vstack([-weights, weights]) / 2, np.concatenate([-bias, bias]) / 2
    return IntentModel(tuple(Kind(r) for r in order), weights.astype(np.float32), bias.astype(np.float32))


def grouped_folds(groups: Sequence[str], k: int, seed: int) -> list[int]:
    """The fold of each item, so that no group is split: groups dealt largest first to the smallest fold."""
    sizes: dict[str, int] = {}
    for group in groups:
        sizes[group] = sizes.get(group, 0) + 1
    names = sorted(sizes)
    np.random.default_rng(seed).shuffle(names)
    names.sort(key=lambda g: -sizes[g])  # stable: equal sizes keep the seeded order
    load = [0] * k
    fold_of: dict[str, int] = {}
    for name in names:
        fold = min(range(k), key=lambda f: (load[f], f))
        fold_of[name] = fold
        load[fold] += sizes[name]
    return [fold_of[g] for g in groups]


def abstention_threshold(probabilities: np.ndarray, answerable: np.ndarray, budget: float | None = None) -> float:
    """The highest threshold at which at most `budget` of the answerable questions would be refused."""
    budget = FALSE_ABSTENTION_BUDGET if budget is None else budget
    scores = np.sort(probabilities[answerable.astype(bool)])
    if not len(scores):
        return 0.5
    allowed = int(np.floor(budget * len(scores)))  # this many answerable questions may fall below
    return float(scores[allowed]) - 1e-9
