"""Tests for training the strength / concern classifier: grouped folds, the figures, and a real short fine-tune."""

import json
from pathlib import Path

import numpy as np
import pytest

from bot.evaluation import leaning
from bot.leaders.lean import lean_from_bytes

LABELLED = Path(__file__).resolve().parents[2] / "training" / "polarity" / "labels.jsonl"


def test_folds_keep_each_council_whole_and_near_equal():
    """No council's sentences are split between folds, every row is in exactly one, and sizes differ little."""
    groups = [f"council {i % 13}" for i in range(200)]
    parts = leaning.folds(groups, 5, seed=3)
    assert sorted(i for part in parts for i in part) == list(range(200))
    for part in parts:
        inside = {groups[i] for i in part}
        assert all(groups[j] not in inside for other in parts if other is not part for j in other)
    assert max(map(len, parts)) - min(map(len, parts)) <= 16


def test_per_class_figures_are_recall_by_true_class_and_precision_by_predicted():
    """Accuracy, each class's recall and precision, and the confusion counts come out as counted by hand."""
    figures = leaning.per_class([0, 0, 1, 1, 2], [0, 1, 1, 1, 0])
    assert figures["accuracy"] == 0.6
    assert figures["recall"] == {"strength": 0.5, "concern": 1.0, "neither": 0.0}
    assert figures["precision"]["concern"] == round(2 / 3, 3) and figures["precision"]["neither"] is None
    assert figures["confusion"] == [[1, 1, 0], [0, 2, 0], [1, 0, 0]]


@pytest.mark.slow
def test_training_is_deterministic_for_a_seed_and_the_int8_export_agrees_with_torch():
    """Two runs with one seed give the same classifier, and its int8 ONNX export labels as torch does."""
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()[:48]]
    texts, labels = [r["text"] for r in rows], [leaning.LABELS.index(r["label"]) for r in rows]
    first = leaning.fine_tune(texts, labels, seed=0, epochs=1)
    second = leaning.fine_tune(texts, labels, seed=0, epochs=1)
    expected = leaning.torch_logits(first, texts[:16])
    assert np.array_equal(expected, leaning.torch_logits(second, texts[:16]))
    exported = lean_from_bytes(leaning.export_int8(first))
    assert np.abs(exported.logits(texts[:16]) - expected).max() < 0.15
