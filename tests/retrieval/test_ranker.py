"""Tests for the learned ranker's weights: reading them, applying them, and the shipped files."""

import numpy as np

from bot.retrieval.features import ALL_FEATURES
from bot.retrieval.ranker import EVIDENCE, Linear, Ranker, load_fold_rankers, load_ranker


def _linear(names=("a", "b")) -> Linear:
    return Linear(tuple(names), np.array([2.0, -1.0]), 0.5, np.array([1.0, 0.0]), np.array([2.0, 1.0]))


def test_linear_model_is_a_standardised_logistic_regression():
    """The probability is the sigmoid of the standardised row times the weights, plus the bias."""
    p = _linear().probabilities(np.array([[3.0, 1.0]]))[0]
    assert abs(p - 1 / (1 + np.exp(-(2.0 * 1.0 - 1.0 * 1.0 + 0.5)))) < 1e-9
    assert len(_linear().probabilities(np.zeros((0, 2)))) == 0


def test_weights_survive_a_round_trip_through_json():
    """What to_json writes, from_json reads back to the same model and threshold."""
    ranker = Ranker(_linear(), _linear(), 0.3)
    again = Ranker.from_json(ranker.to_json())
    assert again.sentences.names == ranker.sentences.names and again.threshold == 0.3
    assert np.allclose(again.sentences.weights, ranker.sentences.weights)


def test_answers_only_when_the_evidence_reaches_the_threshold():
    """The abstention model's probability is compared with the threshold."""
    model = Linear(("top",), np.array([1.0]), 0.0, np.array([0.0]), np.array([1.0]))
    assert Ranker(model, model, 0.5).answers({"top": 2.0})
    assert not Ranker(model, model, 0.5).answers({"top": -2.0})


def test_shipped_weights_match_the_features_the_pipeline_computes():
    """The trained files name exactly today's features and evidence, so a stale file fails here, not in use."""
    ranker = load_ranker()
    assert ranker.sentences.names == ALL_FEATURES and ranker.abstention.names == EVIDENCE
    folds = load_fold_rankers()
    assert len(folds) >= 3 and all(r.sentences.names == ALL_FEATURES for _, r in folds)
    held = [groups for groups, _ in folds]
    assert all(not (a & b) for i, a in enumerate(held) for b in held[i + 1 :])  # each group held out once


def test_shipped_weights_favour_relevance():
    """Closer meaning and more of the question's words raise a sentence's score, as they must."""
    names = load_ranker().sentences.names
    weights = dict(zip(names, load_ranker().sentences.weights, strict=True))
    assert weights["dense"] + weights["dense_gap"] > 0 and weights["lexical"] + weights["lexical_gap"] > 0
    assert weights["cross"] + weights["cross_gap"] > 0  # the cross-encoder's belief that a sentence answers
