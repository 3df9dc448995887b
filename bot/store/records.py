"""What the store holds, as plain records: committed reports, chunks read back, and sentence vectors."""

from collections.abc import Sequence
from dataclasses import dataclass

from bot.report import Report


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
    vector: Sequence[float]  # a list, or a row of the embedder's array passed through as it is


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


def sentence_id(chunk: str, order: int) -> str:
    """A sentence vector's id: its chunk's id and its place among the chunk's sentences."""
    return f"{chunk}:{order}"


def chunk_hit(cid: str, meta: dict, doc: str | None, distance: float = 0.0) -> ChunkHit:
    """A chunk as the store's metadata and document hold it."""
    return ChunkHit(
        id=cid,
        report_id=str(meta["report_id"]),
        section=str(meta.get("section", "")),
        start=int(meta.get("start", 0)),
        end=int(meta.get("end", 0)),
        text=doc or "",
        distance=float(distance),
    )
