"""The cross-encoder: reads the question and one candidate sentence together and scores whether it answers.

The hybrid retrieval and the 42 features find the right report; telling the sentence that answers from a sentence
on the same topic beside it needs a model that reads both at once. This one is all-MiniLM-L6-v2 fine-tuned on
staff questions written report-first with hard negatives (`findings train reranker`), exported to ONNX with int8
weights. Answering runs it with onnxruntime alone: no torch, and its sha256 is checked against its model card.
"""

import functools
import re
from dataclasses import dataclass

import numpy as np

from bot.datafiles import read_bytes, read_json
from bot.embedder import check_digest, cpu_session, packaged_tokenizer, truncating_tokenizer
from bot.errors import ConfigError
from bot.ingest.chunker import OPENING_SECTION, clean_heading
from bot.retrieval.features import cross_columns
from bot.retrieval.ranking import shortlist, top_indices

MODEL_FILE = "reranker.onnx"
CARD_FILE = "reranker.json"
# Question and sentence together; a longer sentence is cut from its end (the question is rarely long).
MAX_TOKENS = 128
# Pairs per ONNX run. One: int8 activations are quantised per run, so a pair read beside others scored up to 0.5
# apart from the same pair read alone; alone, a sentence's score never depends on its neighbours (and on 2 cores
# 32 pairs one at a time took no longer than in runs of 4 or 8).
BATCH = 1
_REBUILD = "rebuild it with `findings train reranker` or reinstall the package"


def passage(section: str, text: str) -> str:
    """What the model reads for a candidate: its section's own heading, then the sentence.

    Training and answering both build the passage here, so a section path ("A > B"), Markdown emphasis or a
    footnote marker in a heading reads the same either way.
    """
    heading = clean_heading(section.split(" > ")[-1]) if section else ""
    heading = "" if heading == OPENING_SECTION else re.sub(r"\s+", " ", heading)
    return f"{heading}: {text}" if heading else text


@dataclass
class Reranker:
    """One ONNX session and the tokenizer it was trained with; scores are logits (higher answers better)."""

    session: object
    tokenizer: object

    def scores(self, question: str, passages: list[str]) -> np.ndarray:
        """One logit per passage, for the question read together with it."""
        out = np.zeros(len(passages), dtype=np.float32)
        if not passages:
            return out
        encodings = self.tokenizer.encode_batch([(question, p) for p in passages])
        order = sorted(range(len(passages)), key=lambda i: len(encodings[i].ids))
        for at in range(0, len(order), BATCH):
            batch = order[at : at + BATCH]
            out[batch] = self._run([encodings[i] for i in batch])
        return out

    def _run(self, encodings: list) -> np.ndarray:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            types[row, : len(enc.ids)] = enc.type_ids
            mask[row, : len(enc.ids)] = 1
        logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        return logits.reshape(-1)


def read_candidates(reranker: Reranker, question: str, candidates: list, read: list[int]) -> np.ndarray:
    """The cross-encoder's logit for each candidate at `read` (a list of Candidates' indices)."""
    return reranker.scores(question, [passage(candidates[i].section, candidates[i].text) for i in read])


class KeptScores:
    """A reranker whose logits are kept per (question, sentence): every fold's pipeline reads mostly the same pairs.

    Exact, because the cross-encoder reads one pair at a time (`BATCH`), so a pair's logit never depends
    on what it was read beside.
    """

    def __init__(self, reranker: Reranker) -> None:
        self.reranker = reranker
        self._kept: dict[tuple[str, str], float] = {}

    def scores(self, question: str, passages: list[str]) -> np.ndarray:
        """One logit per passage, reading only the pairs not read before."""
        unread = [p for p in dict.fromkeys(passages) if (question, p) not in self._kept]
        for passage, logit in zip(unread, self.reranker.scores(question, unread), strict=True):
            self._kept[(question, passage)] = float(logit)
        return np.array([self._kept[(question, p)] for p in passages], dtype=np.float32)


def reranked_features(reranker: Reranker, first, question: str, candidates: list, base: np.ndarray,
                      depth: int) -> tuple[np.ndarray, list[int]]:
    """The candidates' features with the cross-encoder's columns, and which candidates it read.

    It reads the first-stage model's `depth` best (the ranker without its columns), or, for weights trained
    before there was one, the best by meaning, words and retrieval rank in turn.
    """
    read = top_indices(first.probabilities(base), depth) if first else shortlist(candidates, depth)
    logits = read_candidates(reranker, question, candidates, read)
    return np.hstack([base, cross_columns(len(candidates), read, logits)]), read


def _tokenizer():
    return truncating_tokenizer(packaged_tokenizer(), MAX_TOKENS)


def packaged_tokenizer_for_training():
    """The tokenizer exactly as answering sets it up, so training reads the same tokens."""
    return _tokenizer()


def reranker_from_bytes(model: bytes, expected_sha256: str | None = None, threads: int = 1) -> Reranker:
    """A reranker over ONNX bytes, refused when their digest is not the one expected."""
    check_digest(model, expected_sha256, f"bot/data/{MODEL_FILE}", _REBUILD)
    # One thread: a single short pair is too small to share between cores (two threads took 313 ms for 32 pairs
    # where one took 214 ms), and the answer workers already run side by side.
    return Reranker(cpu_session(model, threads), _tokenizer())


def model_card() -> dict:
    """The shipped model's card: its digest, the data it was trained on and the command that rebuilds it."""
    return read_json(CARD_FILE)


@functools.cache
def load_reranker() -> Reranker:
    """The shipped cross-encoder, its sha256 checked against its card (read once per process)."""
    try:
        model = read_bytes(MODEL_FILE)
    except FileNotFoundError:
        raise ConfigError(f"bot/data/{MODEL_FILE} is missing; {_REBUILD}") from None
    return reranker_from_bytes(model, model_card()["sha256"])
