"""Vectors of recently asked-about reports held in memory, for exact search inside a scope and for re-ranking.

Chroma's filtered queries scan metadata and cost 50–150 ms at national scale, while reading a report's
vectors by id costs a few milliseconds. A question about one council therefore reads that council's chunk and
sentence vectors by id (once; they are kept, least recently used first out) and searches them exactly.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from bot.language.sentence import split_sentences
from bot.store.chroma import Store
from bot.store.records import ChunkHit, sentence_id

# About 60 reports: a council's whole history, or a comparison of several, stays on the exact path.
EXACT_SCOPE_CHUNKS = 3000
CACHED_REPORTS = 256


@dataclass(frozen=True)
class ReportVectors:
    """One committed report version's chunk vectors and sentence vectors, rows aligned with their ids."""

    chunk_ids: list[str]
    chunks: np.ndarray
    sentence_ids: list[tuple[str, int]]  # (chunk id, order in the chunk)
    sentences: np.ndarray
    sentence_rows: dict[str, tuple[int, int]]  # chunk id -> its slice of `sentences`


def sentence_keys(chunk: ChunkHit) -> list[tuple[str, int]]:
    """A chunk's (chunk id, order) per sentence as ingest wrote them: the same splitter gives the same count."""
    return [(chunk.id, order) for order in range(len(split_sentences(chunk.text)))]


class VectorCache:
    """Report vectors read by id from the store, kept for the reports most recently asked about."""

    def __init__(self, store: Store, capacity: int = CACHED_REPORTS) -> None:
        self.store = store
        self.capacity = capacity
        self._reports: OrderedDict[str, ReportVectors] = OrderedDict()
        self._by_chunk: dict[str, str] = {}  # chunk id -> the cached report holding it
        self._lock = threading.Lock()

    def reports(self, groups: list[list[ChunkHit]]) -> list[ReportVectors]:
        """The vectors of each report's committed chunks (each group in order), reading the uncached ones at once."""
        keys = [chunks[0].id for chunks in groups]  # a chunk id carries the report version's digest
        with self._lock:
            found = {key: self._reports[key] for key in keys if key in self._reports}
            for key in found:
                self._reports.move_to_end(key)
        missing = [chunks for key, chunks in zip(keys, groups, strict=True) if key not in found]
        if missing:
            loaded = self._load(missing)
            with self._lock:
                for part in loaded:
                    found[part.chunk_ids[0]] = self._reports[part.chunk_ids[0]] = part
                    self._by_chunk.update(dict.fromkeys(part.chunk_ids, part.chunk_ids[0]))
                while len(self._reports) > self.capacity:
                    _, dropped = self._reports.popitem(last=False)
                    for cid in dropped.chunk_ids:
                        self._by_chunk.pop(cid, None)
        return [found[key] for key in keys]

    def nearest(self, by_report: dict[str, list[ChunkHit]], report_ids: set[str], vector: np.ndarray, k: int):
        """Exact top-k chunk ids and top-k (chunk id, order, distance) sentences within the reports."""
        parts = self.reports([by_report[rid] for rid in sorted(report_ids) if by_report.get(rid)])
        if not parts:
            return [], []
        chunk_ids = [cid for part in parts for cid in part.chunk_ids]
        chunk_scores = np.concatenate([part.chunks for part in parts]) @ vector
        sentence_keys = [key for part in parts for key in part.sentence_ids]
        sentence_scores = np.concatenate([part.sentences for part in parts]) @ vector
        top_chunks = np.argsort(-chunk_scores)[:k]
        top_sentences = np.argsort(-sentence_scores)[:k]
        return (
            [chunk_ids[i] for i in top_chunks],
            [(*sentence_keys[i], 1.0 - float(sentence_scores[i])) for i in top_sentences],
        )

    def chunk_vectors(self, chunk_ids: list[str]) -> np.ndarray:
        """The chunks' own vectors, one row per id: from a cached report when there is one, else read by id."""
        out = np.zeros((len(chunk_ids), self.store.dimension), dtype=np.float32)
        missing: list[int] = []
        with self._lock:
            for row, cid in enumerate(chunk_ids):
                part = self._reports.get(self._by_chunk.get(cid, ""))
                if part is None:
                    missing.append(row)
                else:
                    out[row] = part.chunks[part.chunk_ids.index(cid)]
        if missing:
            out[missing] = self.store.vectors("chunks", [chunk_ids[row] for row in missing])
        return out

    def sentence_vectors(self, chunks: list[ChunkHit]) -> dict[str, np.ndarray]:
        """Each chunk's sentence vectors in order: from a cached report when there is one, else read by id."""
        out: dict[str, np.ndarray] = {}
        missing: list[tuple[ChunkHit, list[str]]] = []
        with self._lock:
            for chunk in chunks:
                part = self._reports.get(self._by_chunk.get(chunk.id, ""))
                if part is None:
                    missing.append((chunk, [sentence_id(*key) for key in sentence_keys(chunk)]))
                    continue
                start, end = part.sentence_rows.get(chunk.id, (0, 0))
                out[chunk.id] = part.sentences[start:end]
        vectors = self.store.vectors("sentences", [sid for _, ids in missing for sid in ids])
        at = 0
        for chunk, ids in missing:
            out[chunk.id] = vectors[at : at + len(ids)]
            at += len(ids)
        return out

    def _load(self, groups: list[list[ChunkHit]]) -> list[ReportVectors]:  # outside the lock: I/O
        chunk_ids = [c.id for chunks in groups for c in chunks]
        keys = [[key for c in chunks for key in sentence_keys(c)] for chunks in groups]
        chunk_vectors = self.store.vectors("chunks", chunk_ids)
        sentence_vectors = self.store.vectors("sentences", [sentence_id(*key) for part in keys for key in part])
        out, chunk_at, sentence_at = [], 0, 0
        for chunks, part in zip(groups, keys, strict=True):
            rows: dict[str, tuple[int, int]] = {}
            for row, (cid, _) in enumerate(part):
                start, _ = rows.get(cid, (row, row))
                rows[cid] = (start, row + 1)
            out.append(ReportVectors(
                [c.id for c in chunks], chunk_vectors[chunk_at : chunk_at + len(chunks)], part,
                sentence_vectors[sentence_at : sentence_at + len(part)], rows,
            ))
            chunk_at, sentence_at = chunk_at + len(chunks), sentence_at + len(part)
        return out
