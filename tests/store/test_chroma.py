"""Tests for the Chroma-backed store, on a real embedded Chroma in a temp dir."""

import pytest

from bot.errors import ConfigError
from bot.ingest.chunker import Chunk
from bot.report import Report
from bot.store.chroma import EF_SEARCH, Store
from bot.store.client import connect, open_store
from bot.store.failures import while_locked
from bot.store.records import chunk_id

REPORT = Report(
    id="testshire-ilacs-2024-01-01",
    title="Inspection of Testshire children’s services",
    local_authority="Testshire",
    report_type="ilacs_inspection",
    publisher="Ofsted",
    published="2024-01-01",
    judgements={"Overall effectiveness": "Good"},
)


def _chunks(n: int) -> tuple[list[Chunk], list[list[float]]]:
    chunks = [Chunk(REPORT.id, i, "Section", i * 10, i * 10 + 9, f"chunk {i} t") for i in range(n)]
    vectors = [[float(i == j % 4) for j in range(4)] for i in range(n)]
    return chunks, vectors


def test_write_commits_report_and_chunks(settings):
    """A written report appears in the manifest with its attribution, and its chunks are queryable."""
    store = open_store(settings, "test-model")
    store.write(REPORT, "a" * 64, *_chunks(3))
    stored = store.reports()[REPORT.id]
    assert stored.report == REPORT and stored.chunks == 3 and stored.digest == "a" * 64
    hits = store.query([1.0, 0.0, 0.0, 0.0], 1, where={"report_id": {"$in": [REPORT.id]}})
    assert hits[0].id == chunk_id(REPORT.id, "a" * 64, 0) and hits[0].text == "chunk 0 t"


def test_new_version_leaves_no_orphans(settings):
    """Rewriting a report with fewer chunks removes every chunk of the old version."""
    store = open_store(settings, "test-model")
    store.write(REPORT, "a" * 64, *_chunks(5))
    store.write(REPORT, "b" * 64, *_chunks(2))
    assert store.count() == 2
    assert {h.id for h in store.all_chunks()} == {chunk_id(REPORT.id, "b" * 64, i) for i in range(2)}


def test_uncommitted_chunks_are_invisible_and_swept(settings):
    """Chunks written without a manifest record (a killed ingest) are not read and are swept."""
    store = open_store(settings, "test-model")
    store.write(REPORT, "a" * 64, *_chunks(2))
    chunks, vectors = _chunks(3)
    store.chunks.upsert(
        ids=[chunk_id(REPORT.id, "c" * 64, c.index) for c in chunks],
        embeddings=vectors,
        documents=[c.text for c in chunks],
        metadatas=[{"report_id": REPORT.id, "digest": "c" * 64, "index": c.index} for c in chunks],
    )
    assert len(store.all_chunks()) == 2
    assert store.sweep() == 3
    assert store.count() == 2


def test_remove_deletes_manifest_and_chunks(settings):
    """Removing a report leaves nothing of it behind."""
    store = open_store(settings, "test-model")
    store.write(REPORT, "a" * 64, *_chunks(3))
    store.remove(REPORT.id)
    assert store.reports() == {} and store.count() == 0


def test_store_persists_across_clients(settings):
    """A second client on the same path sees what the first committed."""
    open_store(settings, "test-model").write(REPORT, "a" * 64, *_chunks(2))
    again = Store(connect(settings), settings.collection, "test-model")
    assert set(again.reports()) == {REPORT.id}


def test_other_model_is_refused(settings):
    """Opening a collection built with another embedding model fails with a way out."""
    open_store(settings, "model-a")
    with pytest.raises(ConfigError, match="--rebuild"):
        open_store(settings, "model-b")


def test_hnsw_parameters_are_set_on_the_collection(settings):
    """The collection is created with raised ef_construction and ef_search for recall at scale."""
    hnsw = open_store(settings, "m").chunks.configuration["hnsw"]
    assert hnsw["ef_construction"] >= 200 and hnsw["ef_search"] >= 100 and hnsw["space"] == "cosine"


def test_bad_chroma_url_is_a_config_error(settings):
    """A CHROMA_URL without a host is refused with an example of a good one."""
    with pytest.raises(ConfigError, match="CHROMA_URL"):
        connect(settings.model_copy(update={"chroma_url": "not a url"}))


def test_unreachable_chroma_server_is_one_clear_error(settings):
    """A CHROMA_URL with no server behind it fails with a ConfigError naming the URL, not a traceback."""
    with pytest.raises(ConfigError, match=r"cannot reach the Chroma server at CHROMA_URL=http://127\.0\.0\.1:9"):
        open_store(settings.model_copy(update={"chroma_url": "http://127.0.0.1:9"}), "m")


def test_an_older_collections_ef_search_is_raised_on_open(settings):
    """A collection created with a lower ef_search (an older version's) is brought up to EF_SEARCH when opened."""
    store = open_store(settings, "m")
    for collection in (store.chunks, store.sentences):
        while_locked(lambda c=collection: c.modify(configuration={"hnsw": {"ef_search": 64}}))
    reopened = open_store(settings, "m")
    assert reopened.chunks.configuration["hnsw"]["ef_search"] == EF_SEARCH
    assert reopened.sentences.configuration["hnsw"]["ef_search"] == EF_SEARCH

