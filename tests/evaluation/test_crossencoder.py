"""Tests for fine-tuning the cross-encoder and exporting it: real torch, real ONNX, a few steps on real questions."""

import numpy as np
import pytest

from bot.evaluation import crossencoder
from bot.evaluation.pairs import TRAINING_FILE, load_written, training_pairs
from bot.retrieval.reranker import reranker_from_bytes

# Enough pairs for two batches: the test checks the machinery, not the model's quality.
PAIRS = 2 * crossencoder.BATCH


def _pairs():
    return training_pairs(load_written(TRAINING_FILE)[:40], seed=0)[:PAIRS]


@pytest.mark.slow
def test_training_is_deterministic_for_a_seed_and_the_int8_export_agrees_with_torch():
    """Two runs with one seed give the same model, and its int8 ONNX export scores as torch does."""
    pairs = _pairs()
    first = crossencoder.fine_tune(pairs, seed=0, epochs=1.0)
    second = crossencoder.fine_tune(pairs, seed=0, epochs=1.0)
    probe = pairs[:16]
    expected = crossencoder.torch_scores(first, probe)
    assert np.array_equal(expected, crossencoder.torch_scores(second, probe))
    exported = reranker_from_bytes(crossencoder.export_int8(first))
    got = np.concatenate([exported.scores(p.question, [p.passage]) for p in probe])
    assert np.abs(got - expected).max() < 0.1
    assert len(first.bert.encoder.layer) == crossencoder.LAYERS


def test_a_check_counts_how_often_the_answer_ranks_first():
    """The card's figure is the share of questions whose answer (listed first) outscores every negative."""
    assert crossencoder.first_place([np.array([2.0, 1.0, 0.5]), np.array([0.1, 0.3]), np.array([1.0, -1.0])]) == \
        2 / 3
