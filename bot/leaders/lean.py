"""Strength, concern or neither: the learned classifier that sorts a briefing's sentences.

All-MiniLM-L6-v2 fine-tuned on report sentences labelled report-first (`findings train polarity`), exported to
ONNX with int8 weights and run with onnxruntime; its sha256 is checked against its card. It reads one sentence
alone, as a director reads a briefing line.
"""

import functools
from dataclasses import dataclass

import numpy as np

from bot.datafiles import read_bytes, read_json
from bot.embedder import check_digest, cpu_session, packaged_tokenizer, truncating_tokenizer
from bot.errors import ConfigError

MODEL_FILE = "polarity.onnx"
CARD_FILE = "polarity.json"
LABELS = ("strength", "concern", "neither")
# A briefing quotes a sentence as a strength or a concern only when the model gives that at least this probability:
# fixed before the cross-validated figures were read, it trades a few good picks for fewer wrong ones.
PICK = 0.9
MAX_TOKENS = 96  # the longest sentence a briefing quotes (70 words) fits
_REBUILD = "rebuild it with `findings train polarity` or reinstall the package"


def _tokenizer():
    return truncating_tokenizer(packaged_tokenizer(), MAX_TOKENS)


def tokenizer_for_training():
    """The tokenizer exactly as classifying sets it up, so training reads the same tokens."""
    return _tokenizer()


@dataclass
class Lean:
    """One ONNX session and its tokenizer: a label per sentence."""

    session: object
    tokenizer: object

    def logits(self, texts: list[str]) -> np.ndarray:
        """Three logits per sentence (strength, concern, neither), each sentence run alone."""
        out = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        for row, enc in enumerate(self.tokenizer.encode_batch(texts)):
            ids = np.asarray([enc.ids], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            out[row] = self.session.run(None, feed)[0][0]
        return out

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """Each sentence's probability of strength, concern and neither."""
        return softmax(self.logits(texts))

    def labels(self, texts: list[str]) -> list[str]:
        """'strength', 'concern' or 'neither' for each sentence."""
        return [LABELS[i] for i in self.logits(texts).argmax(axis=1)] if texts else []


def softmax(logits: np.ndarray) -> np.ndarray:
    """Rows of logits as rows of probabilities."""
    if not len(logits):
        return logits
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def lean_from_bytes(model: bytes, expected_sha256: str | None = None) -> Lean:
    """A classifier over ONNX bytes, refused when their digest is not the one expected."""
    check_digest(model, expected_sha256, f"bot/data/{MODEL_FILE}", _REBUILD)
    # One thread: one short sentence at a time is too small to share between cores.
    return Lean(cpu_session(model, threads=1), _tokenizer())


@functools.cache
def load_lean() -> Lean:
    """The shipped classifier, its sha256 checked against its card (read once per process)."""
    try:
        model = read_bytes(MODEL_FILE)
    except FileNotFoundError:
        raise ConfigError(f"bot/data/{MODEL_FILE} is missing; {_REBUILD}") from None
    return lean_from_bytes(model, read_json(CARD_FILE)["sha256"])
