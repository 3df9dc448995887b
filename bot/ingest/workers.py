"""Prepare files for the store (read, chunk, embed) in this process or in a pool of worker processes.

Embedding is most of an ingest's time. One process leaves a core idle whenever Python works between
model runs, and while the store writes; worker processes with one model thread each keep every core
busy, and the main process writes to the store in the order the files were given.
"""

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.embedder import Embedder, ModelFiles, load_embedder, model_files, verify
from bot.errors import InputError
from bot.ingest.chunker import Chunk, chunk_text
from bot.ingest.reader import Source, read_source
from bot.language.sentence import split_sentences
from bot.settings import Settings


@dataclass(frozen=True)
class Prepared:
    """A parsed file's chunks with their vectors, and each chunk's sentence offsets and vectors."""

    source: Source
    chunks: list[Chunk]
    vectors: np.ndarray
    sentences: list[list[tuple[int, int]]]
    sentence_vectors: list[np.ndarray]


def embedding_text(local_authority: str, section: str, text: str) -> str:
    """What is embedded for a chunk: its place in the report gives the vector context."""
    return f"{local_authority} — {section}\n{text}"


def prepare(path: Path, data: bytes, row: dict[str, str], embedder: Embedder, max_pages: int) -> Prepared:
    """Read a file's bytes, chunk the text and embed the chunks and their sentences in one pass."""
    source = read_source(path, data, row, max_pages=max_pages)
    chunks = chunk_text(source.report.id, source.text)
    if not chunks:
        raise InputError("no text to index")
    texts, spans, offsets = [], [], []
    for chunk in chunks:
        text = embedding_text(source.report.local_authority, chunk.section, chunk.text)
        shift = len(text) - len(chunk.text)
        sentences = split_sentences(chunk.text)
        texts.append(text)
        spans.append([(shift + s.start, shift + s.end) for s in sentences])
        offsets.append([(chunk.start + s.start, chunk.start + s.end) for s in sentences])
    vectors, pooled = embedder.embed_spans(texts, spans)
    return Prepared(source, chunks, vectors, offsets, pooled)


class InlineWorkers:
    """Prepares each file at once in this process, with the embedder given."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.model_id = embedder.model_id
        self.size = 1

    def submit(self, path: Path, data: bytes, row: dict[str, str], max_pages: int) -> Future:
        """Prepare now; the returned future holds the result or the InputError."""
        future: Future = Future()
        try:
            future.set_result(prepare(path, data, row, self.embedder, max_pages))
        except InputError as err:
            future.set_exception(err)
        return future

    def close(self) -> None:
        """Nothing to release."""


_worker_embedder: Embedder | None = None


def _start_worker(files: ModelFiles, batch_size: int) -> None:
    global _worker_embedder
    if sys.platform == "linux":
        # Die with the parent: a killed ingest must not leave workers behind.
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    _worker_embedder = Embedder(files, batch_size=batch_size, threads=1)


def _prepare_in_worker(path: Path, data: bytes, row: dict[str, str], max_pages: int) -> Prepared:
    assert _worker_embedder is not None, "worker started without its embedder"
    return prepare(path, data, row, _worker_embedder, max_pages)


class ProcessWorkers:
    """Prepares files in worker processes, each loading the model once with one thread."""

    def __init__(self, files: ModelFiles, size: int, batch_size: int) -> None:
        self.model_id = files.model_id
        self.size = size
        # Spawn, not fork: the parent holds Chroma's and onnxruntime's threads, which fork does not copy safely.
        self.pool = ProcessPoolExecutor(
            size, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker, initargs=(files, batch_size),
        )

    def submit(self, path: Path, data: bytes, row: dict[str, str], max_pages: int) -> Future:
        """Queue a file; the future holds the Prepared result or the InputError."""
        return self.pool.submit(_prepare_in_worker, path, data, row, max_pages)

    def close(self) -> None:
        """Stop the workers, dropping queued files (an interrupted run keeps only what it committed)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def start_workers(settings: Settings) -> InlineWorkers | ProcessWorkers:
    """The workers INGEST_WORKERS asks for: 0 means one per core, and 1 embeds in this process."""
    size = settings.ingest_workers or _usable_cores()
    if size == 1:
        return InlineWorkers(load_embedder(settings))
    files = model_files(settings)
    # Checked here so a wrong model is one clear error, not a failure inside every worker.
    verify(files.model, files.model_sha256, files.hint)
    verify(files.tokenizer, files.tokenizer_sha256, files.hint)
    return ProcessWorkers(files, size, settings.embedding_batch_size)


def _usable_cores() -> int:
    """Cores this process may run on (a container's cpuset, not the whole host), at least 1."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
