"""The knowledge base in Chroma: chunks with their vectors, and a manifest of committed reports.

With `bot.store.client` (connecting), the only module that imports chromadb. A report's chunks are written first and its
manifest record last, so the manifest record is the commit: chunks of an uncommitted or replaced
version are invisible to readers and are swept on the next ingest.
"""

import hashlib
from collections.abc import Sequence

import chromadb
import numpy as np
import structlog

from bot.errors import ConfigError
from bot.ingest.chunker import Chunk
from bot.report import Report
from bot.store.failures import guarded, while_locked
from bot.store.records import ChunkHit, SentenceVector, StoredReport, chunk_hit, chunk_id, sentence_id

log = structlog.get_logger()
# Defaults lose recall at tens of thousands of vectors. On the national corpus (45k chunks, 239k sentences)
# benchmarks/recall.py measures recall@10 against brute force of 0.979 / 0.944 at ef_search 128 and
# 0.995 / 0.983 at 400, for about 3 ms more a query. Sentences are five times as many and only add candidates,
# so their graph is built cheaper (ef_construction and M cannot change after creation; ef_search can).
EF_SEARCH = 400
HNSW = {"space": "cosine", "ef_construction": 256, "ef_search": EF_SEARCH, "max_neighbors": 32}
SENTENCE_HNSW = {"space": "cosine", "ef_construction": 128, "ef_search": EF_SEARCH, "max_neighbors": 16}
PAGE = 5000


class Store:
    """Reads and writes one knowledge base: a chunk collection and its report manifest."""

    def __init__(self, client: chromadb.ClientAPI, name: str, model_id: str) -> None:
        self.client = client
        self.chunks = client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": HNSW}, metadata={"embedding_model": model_id}
        )
        built_with = (self.chunks.metadata or {}).get("embedding_model")
        if built_with != model_id:
            raise ConfigError(
                f"collection {name!r} holds vectors from {built_with!r} but EMBEDDING_MODEL is {model_id!r}; "
                "set COLLECTION to a new name, or rebuild with `findings ingest --rebuild`"
            )
        self.sentences = client.get_or_create_collection(
            f"{name}-sentences", embedding_function=None, configuration={"hnsw": SENTENCE_HNSW},
            metadata={"embedding_model": model_id},
        )
        self.manifest = client.get_or_create_collection(f"{name}-reports", embedding_function=None)
        self._dimension = 0
        for collection in (self.chunks, self.sentences):
            if (collection.configuration or {}).get("hnsw", {}).get("ef_search") != EF_SEARCH:
                # A collection made by an older version keeps its ef_search until told otherwise.
                while_locked(lambda c=collection: c.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}}))

    @guarded
    def reports(self) -> dict[str, StoredReport]:
        """Every committed report, by id."""
        found: dict[str, StoredReport] = {}
        for _, meta, _ in self._scan(self.manifest, include=["metadatas"]):
            report = Report.from_metadata(meta)
            found[report.id] = StoredReport(report, str(meta["digest"]), int(meta["chunks"]))
        return found

    def fingerprint(self) -> str:
        """A digest of the committed reports, versions and links, which changes whenever the knowledge does."""
        pairs = sorted((rid, stored.digest, stored.report.url) for rid, stored in self.reports().items())
        return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]

    @guarded
    def set_url(self, report_id: str, url: str) -> bool:
        """Record a held report's link (found later, by a sync); False when no such report is committed."""
        found = self.manifest.get(ids=[report_id], include=["metadatas"])
        if not found["ids"]:
            return False
        meta = {**found["metadatas"][0], "url": url}
        self.manifest.update(ids=[report_id], metadatas=[meta])
        return True

    @guarded
    def write(
        self,
        report: Report,
        digest: str,
        chunks: list[Chunk],
        vectors: Sequence[Sequence[float]],
        sentences: list[list[SentenceVector]] | None = None,
        *,
        replaces: bool = True,
    ) -> None:
        """Upsert a report's chunks and sentence vectors, commit its manifest record, then drop older versions.

        Metadata is kept to what reads and deletes use (each field costs a row per vector in Chroma's SQLite).
        `replaces=False` says no version was committed before, so there is nothing to delete; leftovers of a
        killed run are removed by `sweep` before an ingest writes.
        """
        step = max(1, min(PAGE, self.client.get_max_batch_size()))
        for at in range(0, len(chunks), step):
            part = chunks[at : at + step]
            self.chunks.upsert(
                ids=[chunk_id(report.id, digest, c.index) for c in part],
                embeddings=vectors[at : at + step],
                documents=[c.text for c in part],
                metadatas=[
                    {"report_id": report.id, "digest": digest, "index": c.index, "section": c.section,
                     "start": c.start, "end": c.end}
                    for c in part
                ],
            )
        rows = [
            (chunk_id(report.id, digest, c.index), j, sv)
            for c, per_chunk in zip(chunks, sentences or [[] for _ in chunks], strict=True)
            for j, sv in enumerate(per_chunk)
        ]
        for at in range(0, len(rows), step):
            part = rows[at : at + step]
            self.sentences.upsert(
                ids=[sentence_id(cid, j) for cid, j, _ in part],
                embeddings=[sv.vector for _, _, sv in part],
                metadatas=[{"report_id": report.id, "digest": digest} for _ in part],
            )
        meta = {**report.to_metadata(), "digest": digest, "chunks": len(chunks)}
        self.manifest.upsert(ids=[report.id], embeddings=[[1.0]], documents=[report.title], metadatas=[meta])
        if replaces:
            stale = {"$and": [{"report_id": report.id}, {"digest": {"$ne": digest}}]}
            self.chunks.delete(where=stale)
            self.sentences.delete(where=stale)

    @guarded
    def remove(self, report_id: str) -> None:
        """Uncommit a report, then delete its chunks."""
        self.manifest.delete(ids=[report_id])
        self.chunks.delete(where={"report_id": report_id})
        self.sentences.delete(where={"report_id": report_id})

    @guarded
    def sweep(self) -> int:
        """Delete chunks that belong to no committed report version, such as a killed ingest's."""
        committed = {rid: stored.digest for rid, stored in self.reports().items()}
        swept = 0
        for collection in (self.chunks, self.sentences):
            stale = [
                cid
                for cid, meta, _ in self._scan(collection, include=["metadatas"])
                if committed.get(meta.get("report_id")) != meta.get("digest")
            ]
            for at in range(0, len(stale), PAGE):
                collection.delete(ids=stale[at : at + PAGE])
            swept += len(stale) if collection is self.chunks else 0
        return swept

    @guarded
    def query(self, vector: list[float], k: int, where: dict | None = None) -> list[ChunkHit]:
        """The k nearest chunks to a vector, optionally filtered by metadata."""
        result = self.chunks.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["metadatas", "documents", "distances"]
        )
        return [
            chunk_hit(cid, meta, doc, dist)
            for cid, meta, doc, dist in zip(
                result["ids"][0], result["metadatas"][0], result["documents"][0], result["distances"][0], strict=True
            )
        ]

    @guarded
    def vectors(self, kind: str, ids: list[str]) -> np.ndarray:
        """Stored vectors by id ("chunks" or "sentences"), one row per id in order; an id not stored gives zeros."""
        collection = self.chunks if kind == "chunks" else self.sentences
        rows = {sid: i for i, sid in enumerate(ids)}
        out = np.zeros((len(ids), self.dimension), dtype=np.float32)
        for at in range(0, len(ids), PAGE):
            page = collection.get(ids=ids[at : at + PAGE], include=["embeddings"])
            for sid, vector in zip(page["ids"], page["embeddings"], strict=True):
                out[rows[sid]] = vector
        return out

    @property
    def dimension(self) -> int:
        """The width of the stored vectors, read once from a stored chunk (0 while the store is empty)."""
        if not self._dimension:
            page = self.chunks.get(limit=1, include=["embeddings"])
            self._dimension = len(page["embeddings"][0]) if len(page["ids"]) else 0
        return self._dimension

    @guarded
    def query_sentences(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, int, float]]:
        """The k nearest sentences as (chunk id, sentence order, distance)."""
        result = self.sentences.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["distances"]
        )
        return [
            (cid, int(order), float(dist))
            for (cid, order), dist in zip(
                (sid.rsplit(":", 1) for sid in result["ids"][0]), result["distances"][0], strict=True
            )
        ]

    @guarded
    def all_chunks(self) -> list[ChunkHit]:
        """Every committed chunk with its text, for the keyword index."""
        committed = {rid: stored.digest for rid, stored in self.reports().items()}
        return [
            chunk_hit(cid, meta, doc)
            for cid, meta, doc in self._scan(self.chunks, include=["metadatas", "documents"])
            if committed.get(meta.get("report_id")) == meta.get("digest")
        ]

    @guarded
    def count(self) -> int:
        """How many chunks the collection holds, committed or not."""
        return self.chunks.count()

    def reachable(self) -> bool:
        """True when the store answers."""
        try:
            self.client.heartbeat()
            return True
        except Exception:  # any failure means unreachable; the caller only needs yes or no
            return False

    @staticmethod
    def _scan(collection, include: list[str]):
        offset = 0
        while True:
            page = collection.get(include=include, limit=PAGE, offset=offset)
            ids = page["ids"]
            metas = page.get("metadatas") or [None] * len(ids)
            docs = page.get("documents") or [None] * len(ids)
            yield from zip(ids, metas, docs, strict=True)
            if len(ids) < PAGE:
                return
            offset += PAGE
