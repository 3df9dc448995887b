"""The learned strength / concern / neither classifier as answering runs it: int8 ONNX, checked by its sha256."""

import pytest

from bot.datafiles import read_bytes
from bot.errors import ConfigError
from bot.leaders.lean import LABELS, lean_from_bytes, load_lean

# Written for this test, in inspectors' manner, after the model was trained: none is in its training data.
CLEAR = [
    ("Care leavers speak highly of their personal advisers, who know them well and keep in touch.", "strength"),
    ("Too many children wait months for their initial health assessment, and some are never seen.", "concern"),
    ("Leaders have not ensured that supervision challenges drift in children's plans.", "concern"),
    ("Return home interviews are timely and the information from them is used well to reduce risk.", "strength"),
]


def test_the_shipped_model_sorts_plain_praise_and_plain_criticism():
    """Sentences that plainly praise or criticise, none of them in the training data, are sorted as a reader would."""
    lean = load_lean()
    assert lean.labels([text for text, _ in CLEAR]) == [label for _, label in CLEAR]


def test_each_sentence_gets_three_probabilities_that_sum_to_one_and_alone_as_in_a_batch():
    """Probabilities are per sentence over the three labels, and a sentence scores the same alone or with others."""
    lean = load_lean()
    texts = [text for text, _ in CLEAR]
    together = lean.probabilities(texts)
    assert together.shape == (len(texts), len(LABELS))
    assert together.sum(axis=1) == pytest.approx([1.0] * len(texts), abs=1e-5)
    assert lean.probabilities(texts[1:2])[0] == pytest.approx(together[1], abs=1e-6)
    assert lean.labels([]) == [] and lean.probabilities([]).shape[0] == 0


def test_a_model_file_whose_digest_differs_from_its_card_is_refused():
    """Bytes that are not the ones the card names are refused with a message saying how to rebuild them."""
    model = read_bytes("polarity.onnx")
    with pytest.raises(ConfigError, match="findings train polarity"):
        lean_from_bytes(model[:-1] + b"\0", expected_sha256="0" * 64)
