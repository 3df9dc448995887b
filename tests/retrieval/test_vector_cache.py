"""Tests for the vector cache: exact search inside a scope, sentence vectors by id, and eviction."""

import numpy as np

from bot.retrieval.knowledge import Knowledge
from bot.retrieval.vector_cache import VectorCache
from bot.store.client import open_store
from bot.store.sync import ingest


class CountingStore:
    """The real store, counting how many vectors are read by id."""

    def __init__(self, real) -> None:
        self.real, self.read = real, 0

    def vectors(self, kind, ids):
        self.read += len(ids)
        return self.real.vectors(kind, ids)


def _knowledge(settings, folder, embedder) -> Knowledge:
    store = open_store(settings, embedder.model_id)
    ingest([folder], store, embedder, max_bytes=settings.max_file_bytes)
    return Knowledge(store)


def test_scoped_search_is_exact_and_agrees_with_chroma(settings, small_knowledge, embedder):
    """Inside one report the cache's top chunks and sentences are exactly Chroma's filtered results, in order."""
    knowledge = _knowledge(settings, small_knowledge, embedder)
    vector = embedder.embed(["how are care leavers supported by personal advisers"])[0]
    rid = sorted(knowledge.by_report)[0]
    chunks, sentences = knowledge.vectors.nearest(knowledge.by_report, {rid}, vector, 5)
    where = {"report_id": {"$in": [rid]}}
    assert chunks == [h.id for h in knowledge.store.query(vector.tolist(), 5, where)]
    chroma = knowledge.store.query_sentences(vector.tolist(), 5, where)
    assert [(c, o) for c, o, _ in sentences] == [(c, o) for c, o, _ in chroma]
    np.testing.assert_allclose([d for *_, d in sentences], [d for *_, d in chroma], atol=1e-4)


def test_sentence_vectors_are_the_same_cached_or_read_by_id(settings, small_knowledge, embedder):
    """A chunk's sentence vectors are one per sentence, and equal whether read by id or sliced from the cache."""
    knowledge = _knowledge(settings, small_knowledge, embedder)
    rid = sorted(knowledge.by_report)[1]
    chunks = knowledge.by_report[rid][:4]
    fresh = VectorCache(knowledge.store).sentence_vectors(chunks)
    warm = VectorCache(knowledge.store)
    warm.reports([knowledge.by_report[rid]])
    cached = warm.sentence_vectors(chunks)
    for chunk in chunks:
        assert fresh[chunk.id].shape[0] > 0
        np.testing.assert_array_equal(fresh[chunk.id], cached[chunk.id])
        assert np.allclose(np.linalg.norm(fresh[chunk.id], axis=1), 1.0, atol=1e-3)


def test_reports_are_read_once_and_the_least_recent_is_evicted(settings, small_knowledge, embedder):
    """A cached report costs no store reads; past capacity the least recently used report is read again."""
    knowledge = _knowledge(settings, small_knowledge, embedder)
    store = CountingStore(knowledge.store)
    cache = VectorCache(store, capacity=2)  # type: ignore[arg-type]
    first, second, third = (knowledge.by_report[rid] for rid in sorted(knowledge.by_report))
    cache.reports([first, second])
    reads = store.read
    cache.reports([first])
    assert store.read == reads
    cache.reports([third])  # evicts `second`, the least recently used
    reads = store.read
    cache.reports([first])
    assert store.read == reads
    cache.reports([second])
    assert store.read > reads
