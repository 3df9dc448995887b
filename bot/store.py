"""The knowledge base in Chroma: chunks with their vectors, and a manifest of committed reports.

This is the only module that imports chromadb. A report's chunks are written first and its
manifest record last, so the manifest record is the commit: chunks of an uncommitted or replaced
version are invisible to readers and are swept on the next ingest.
"""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlparse

import chromadb
import numpy as np
import structlog
from chromadb.config import Settings as ChromaSettings

from bot.chunker import Chunk
from bot.errors import ConfigError
from bot.report import Report
from bot.settings import Settings

log = structlog.get_logger()
# Defaults lose recall at tens of thousands of vectors; these keep approximate search close to exact.
HNSW = {"space": "cosine", "ef_construction": 256, "ef_search": 128, "max_neighbors": 32}
PAGE = 5000


@dataclass(frozen=True)
class StoredReport:
    """A committed report: its attribution, the digest of the file it came from, its chunk count."""

    report: Report
    digest: str
    chunks: int


@dataclass(frozen=True)
class SentenceVector:
    """A sentence's offsets in the source and its vector."""

    start: int
    end: int
    vector: list[float]


@dataclass(frozen=True)
class ChunkHit:
    """A chunk as read back from the store, with its distance when it came from a vector query."""

    id: str
    report_id: str
    section: str
    start: int
    end: int
    text: str
    distance: float = 0.0


def chunk_id(report_id: str, digest: str, index: int) -> str:
    """Stable id: the same file content always gives the same ids, a new version new ones."""
    return f"{report_id}:{digest[:12]}:{index}"


def connect(settings: Settings) -> chromadb.ClientAPI:
    """An HTTP client when CHROMA_URL is set, else an embedded store at CHROMA_PATH."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if not url.hostname:
            raise ConfigError(f"CHROMA_URL={settings.chroma_url!r} is not a URL like http://127.0.0.1:8000")
        ssl = url.scheme == "https"
        port = url.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=url.hostname, port=port, ssl=ssl, settings=chroma_settings)
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


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
            f"{name}-sentences", embedding_function=None, configuration={"hnsw": HNSW},
            metadata={"embedding_model": model_id},
        )
        self.manifest = client.get_or_create_collection(f"{name}-reports", embedding_function=None)

    def reports(self) -> dict[str, StoredReport]:
        """Every committed report, by id."""
        found: dict[str, StoredReport] = {}
        for _, meta, _ in self._scan(self.manifest, include=["metadatas"]):
            report = Report.from_metadata(meta)
            found[report.id] = StoredReport(report, str(meta["digest"]), int(meta["chunks"]))
        return found

    def fingerprint(self) -> str:
        """A digest of the committed reports and versions, which changes whenever the knowledge does."""
        pairs = sorted((rid, stored.digest) for rid, stored in self.reports().items())
        return hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]

    def write(
        self,
        report: Report,
        digest: str,
        chunks: list[Chunk],
        vectors: list[list[float]],
        sentences: list[list[SentenceVector]] | None = None,
    ) -> None:
        """Upsert a report's chunks and sentence vectors, commit its manifest record, then drop older versions."""
        filters = {
            "local_authority": report.local_authority,
            "report_type": report.report_type,
            "year": report.year or 0,
            "published": report.published,
            "secondary": report.secondary,
        }
        step = max(1, min(PAGE, self.client.get_max_batch_size()))
        for at in range(0, len(chunks), step):
            part = chunks[at : at + step]
            self.chunks.upsert(
                ids=[chunk_id(report.id, digest, c.index) for c in part],
                embeddings=vectors[at : at + step],
                documents=[c.text for c in part],
                metadatas=[
                    {"report_id": report.id, "digest": digest, "index": c.index, "section": c.section,
                     "start": c.start, "end": c.end, **filters}
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
                ids=[f"{cid}:{j}" for cid, j, _ in part],
                embeddings=[sv.vector for _, _, sv in part],
                metadatas=[
                    {"report_id": report.id, "digest": digest, "chunk_id": cid, "order": j,
                     "start": sv.start, "end": sv.end, **filters}
                    for cid, j, sv in part
                ],
            )
        meta = {**report.to_metadata(), "digest": digest, "chunks": len(chunks)}
        self.manifest.upsert(ids=[report.id], embeddings=[[1.0]], documents=[report.title], metadatas=[meta])
        stale = {"$and": [{"report_id": report.id}, {"digest": {"$ne": digest}}]}
        self.chunks.delete(where=stale)
        self.sentences.delete(where=stale)

    def remove(self, report_id: str) -> None:
        """Uncommit a report, then delete its chunks."""
        self.manifest.delete(ids=[report_id])
        self.chunks.delete(where={"report_id": report_id})
        self.sentences.delete(where={"report_id": report_id})

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

    def query(self, vector: list[float], k: int, where: dict | None = None) -> list[ChunkHit]:
        """The k nearest chunks to a vector, optionally filtered by metadata."""
        result = self.chunks.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["metadatas", "documents", "distances"]
        )
        return [
            _hit(cid, meta, doc, dist)
            for cid, meta, doc, dist in zip(
                result["ids"][0], result["metadatas"][0], result["documents"][0], result["distances"][0], strict=True
            )
        ]

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, np.ndarray]:
        """The stored sentence vectors of each chunk, in sentence order."""
        if not chunk_ids:
            return {}
        page = self.sentences.get(where={"chunk_id": {"$in": chunk_ids}}, include=["embeddings", "metadatas"])
        grouped: dict[str, list[tuple[int, np.ndarray]]] = {}
        for meta, vector in zip(page["metadatas"], page["embeddings"], strict=True):
            grouped.setdefault(str(meta["chunk_id"]), []).append((int(meta["order"]), vector))
        return {cid: np.array([v for _, v in sorted(rows, key=lambda r: r[0])], dtype=np.float32)
                for cid, rows in grouped.items()}

    def query_sentences(self, vector: list[float], k: int, where: dict | None = None) -> list[tuple[str, int, float]]:
        """The k nearest sentences as (chunk id, sentence order, distance)."""
        result = self.sentences.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["metadatas", "distances"]
        )
        return [
            (str(meta["chunk_id"]), int(meta["order"]), float(dist))
            for meta, dist in zip(result["metadatas"][0], result["distances"][0], strict=True)
        ]

    def all_chunks(self) -> list[ChunkHit]:
        """Every committed chunk with its text, for the keyword index."""
        committed = {rid: stored.digest for rid, stored in self.reports().items()}
        return [
            _hit(cid, meta, doc)
            for cid, meta, doc in self._scan(self.chunks, include=["metadatas", "documents"])
            if committed.get(meta.get("report_id")) == meta.get("digest")
        ]

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


def _hit(cid: str, meta: dict, doc: str | None, distance: float = 0.0) -> ChunkHit:
    return ChunkHit(
        id=cid,
        report_id=str(meta["report_id"]),
        section=str(meta.get("section", "")),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        text=doc or "",
        distance=float(distance),
    )


def open_store(settings: Settings, model_id: str) -> Store:
    """Connect to the store the settings name, checking it was built with this model."""
    try:
        return Store(connect(settings), settings.collection, model_id)
    except ConfigError:
        raise
    except Exception as err:  # chromadb raises ValueError or connection errors when a server is down
        if not settings.chroma_url:
            raise
        raise ConfigError(
            f"cannot reach the Chroma server at CHROMA_URL={settings.chroma_url} ({type(err).__name__}); "
            "is it running?"
        ) from None


def drop(settings: Settings) -> None:
    """Delete the knowledge base entirely, for a rebuild."""
    client = connect(settings)
    for name in (settings.collection, f"{settings.collection}-sentences", f"{settings.collection}-reports"):
        try:
            client.delete_collection(name)
        except Exception:  # chromadb raises different errors for a missing collection by version
            log.debug("store.drop.missing", collection=name)
