"""Tests for fine-tuning the embedding model: real torch, a real int8 ONNX export read by the answer path's Embedder."""

import shutil

import numpy as np
import pytest

from bot.embedder import load_embedder, packaged_tokenizer
from bot.evaluation import embedding
from bot.evaluation.pairs import TRAINING_FILE, load_written
from bot.settings import Settings


def _rows():
    return embedding.triplets(load_written(TRAINING_FILE)[:80], seed=0)[: 2 * embedding.BATCH]


@pytest.mark.slow
def test_training_is_deterministic_and_the_export_embeds_as_torch_does(tmp_path):
    """Two runs with one seed give the same vectors, and the int8 export, read as EMBEDDING_MODEL, agrees with torch."""
    rows = _rows()
    first = embedding.fine_tune(rows, seed=0, epochs=1.0)
    second = embedding.fine_tune(rows, seed=0, epochs=1.0)
    probe = [r.question for r in rows[:8]] + [r.answer for r in rows[:8]]
    expected = embedding.torch_vectors(first, probe)
    assert np.array_equal(expected, embedding.torch_vectors(second, probe))
    (tmp_path / "model.onnx").write_bytes(embedding.export_int8(first))
    shutil.copyfile(packaged_tokenizer(), tmp_path / "tokenizer.json")
    exported = load_embedder(Settings(_env_file=None, embedding_model=str(tmp_path)))
    got = exported.embed(probe)
    assert exported.model_id == tmp_path.name
    assert float(np.min(np.sum(got * expected, axis=1))) > 0.97


def test_no_batch_holds_one_answer_twice():
    """A sentence repeated in a batch would be its own question's negative, so batches keep answers apart."""
    rows = [embedding.Triplet(f"q{i}", f"answer {i % 5}", f"other {i}") for i in range(40)]
    plan = embedding.batches(rows, seed=0, epochs=1.0)
    assert sorted(i for batch in plan for i in batch) == list(range(40))
    for batch in plan:
        answers = [rows[i].answer for i in batch]
        assert len(answers) == len(set(answers))


def test_the_check_counts_questions_whose_answer_is_closest():
    """The card's figure is the share of questions whose answer is nearer than every same-report negative."""
    vectors = {"q": [1.0, 0.0], "right": [0.9, 0.1], "wrong": [0.1, 0.9], "q2": [0.0, 1.0]}
    item = {"answerable": True, "question": "q", "answer": {"text": "right"}, "negatives": [{"text": "wrong"}],
            "mined": []}
    missed = {**item, "question": "q2"}

    def vectors_of(texts):
        return np.array([vectors[t] for t in texts])

    assert embedding.answer_first(vectors_of, [item, missed]) == 0.5
