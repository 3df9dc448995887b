"""Tests for the cross-encoder as answering runs it: the shipped ONNX model, its card and its inputs."""

import hashlib
import json
import random

import numpy as np
import pytest

from bot.datafiles import read_bytes
from bot.errors import ConfigError
from bot.evaluation.pairs import TRAINING_FILE, candidates_of, data_hash, load_written, split_validation
from bot.retrieval.reranker import (
    MODEL_FILE,
    KeptScores,
    load_reranker,
    model_card,
    passage,
    reranker_from_bytes,
)

# The card's check on councils the shipped model never saw; the test reads a sample of them again.
ANSWER_FIRST_FLOOR = 0.6
MAX_MODEL_BYTES = 25_000_000


def test_passage_reads_a_section_path_and_heading_as_training_did():
    """A chunk's section path, emphasis and footnote marks reduce to its own heading; the opening has none."""
    assert passage("Overview > **Findings [1]**", "Text.") == "Findings: Text."
    assert passage("Introduction", "Dear Ms Smith,") == "Dear Ms Smith,"
    assert passage("", "Text.") == "Text."


def test_the_shipped_model_matches_its_card_and_size():
    """The model's sha256 is the card's, it is under 25 MB, and the card names its data's hash and command."""
    model = read_bytes(MODEL_FILE)
    card = model_card()
    assert hashlib.sha256(model).hexdigest() == card["sha256"]
    assert len(model) == card["bytes"] <= MAX_MODEL_BYTES
    assert card["data"]["sha256"] == data_hash(TRAINING_FILE)
    assert card["command"].startswith("findings train reranker")


def test_a_changed_model_is_refused_by_its_digest():
    """Bytes whose sha256 is not the card's are refused with one line that says how to rebuild."""
    model = bytearray(read_bytes(MODEL_FILE))
    model[-1] ^= 1
    with pytest.raises(ConfigError, match="findings train reranker"):
        reranker_from_bytes(bytes(model), model_card()["sha256"])


def test_on_councils_it_never_saw_the_answer_outscores_its_reports_other_sentences():
    """For questions about held-out councils, the answer usually scores above every hard negative of its report."""
    card = model_card()
    _, held = split_validation(load_written(TRAINING_FILE), 0.05, card["training"]["seed"])
    sample = random.Random(0).sample([i for i in held if i["answerable"]], 60)
    reranker = load_reranker()
    wins = 0
    for item in sample:
        question, passages = candidates_of(item)
        scores = reranker.scores(question, passages)
        wins += scores[0] > scores[1:].max()
    assert wins / len(sample) >= ANSWER_FIRST_FLOOR


def test_scores_do_not_depend_on_the_batch():
    """A passage scores the same read alone or with others (padding is masked)."""
    reranker = load_reranker()
    passages = ["Findings: Supervision is regular and reflective.", "Overall effectiveness | Good |",
                "What needs to improve: The timeliness of initial health assessments for children in care."]
    together = reranker.scores("is supervision any good?", passages)
    alone = [reranker.scores("is supervision any good?", [p])[0] for p in passages]
    assert together == pytest.approx(alone, abs=1e-3)
    assert json.dumps(float(together[0]))  # plain floats, ready for features


def test_kept_scores_read_each_pair_once_and_give_the_readers_logits():
    """A pair read again is answered from memory with the logit first read; only unread pairs reach the reranker."""
    read = []

    class Counting:
        def scores(self, question, passages):
            read.extend(passages)
            return np.array([len(question) + len(p) for p in passages], dtype=np.float32)

    kept = KeptScores(Counting())
    first = kept.scores("q", ["aa", "b"])
    again = kept.scores("q", ["b", "ccc", "aa", "ccc"])
    assert first.tolist() == [3.0, 2.0] and again.tolist() == [2.0, 4.0, 3.0, 4.0]
    assert read == ["aa", "b", "ccc"]
    assert kept.scores("other", ["b"]).tolist() == [6.0] and read[-1] == "b"
