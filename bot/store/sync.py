"""Ingest: bring the store in line with the knowledge files, doing no work for unchanged ones."""

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

import structlog

from bot.embedder import Embedder
from bot.errors import InputError
from bot.ingest.catalogue import Catalogues
from bot.ingest.reader import SUFFIXES, fingerprint, read_bytes
from bot.ingest.workers import InlineWorkers, Prepared, ProcessWorkers
from bot.store.chroma import Store
from bot.store.records import SentenceVector

log = structlog.get_logger()
# Files that describe a folder rather than being a report.
IGNORED_STEMS = frozenset({"readme", "licence", "license", "notice", "attribution", "catalogue"})


@dataclass(frozen=True)
class Failure:
    """A file that could not be ingested, and the one-line reason."""

    path: str
    error: str


@dataclass
class IngestResult:
    """What one ingest run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    failed: list[Failure] = field(default_factory=list)
    chunks: int = 0
    seconds: float = 0.0
    swept: int = 0

    @property
    def chunks_per_second(self) -> float:
        """Chunks embedded and written per second of the run."""
        return self.chunks / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict:
        """The summary `findings ingest --json` prints."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": [{"path": f.path, "error": f.error} for f in self.failed],
            "chunks": self.chunks,
            "seconds": round(self.seconds, 3),
        }


def discover(paths: Iterable[Path]) -> list[Path]:
    """Every supported file under the given files and folders, sorted, hidden files left out."""
    found: set[Path] = set()
    for root in paths:
        candidates = [root] if root.is_file() else root.rglob("*")
        for path in candidates:
            if any(part.startswith(".") for part in path.relative_to(root).parts if root != path):
                continue
            if path.is_file() and path.suffix.lower() in SUFFIXES and path.stem.lower() not in IGNORED_STEMS:
                found.add(path.resolve())
    return sorted(found)


Progress = Callable[[Path, int], None]


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is under it, so a moved checkout still matches."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _Run:
    """The state of one ingest run over many files."""

    def __init__(self, store: Store, roots: list[Path], max_bytes: int, max_pages: int) -> None:
        self.store = store
        self.max_bytes, self.max_pages = max_bytes, max_pages
        self.result = IngestResult()
        self.committed = store.reports()
        self.by_digest = {stored.digest: rid for rid, stored in self.committed.items()}
        self.seen_ids: set[str] = set()
        self.kept_paths: set[str] = set()
        self.first_with_bytes: dict[str, Path] = {}
        self.catalogues = Catalogues(roots)

    def check(self, path: Path) -> tuple[bytes, dict[str, str]] | None:
        """Read a file and its catalogue row; None when it is committed unchanged."""
        data = read_bytes(path, self.max_bytes)
        content = hashlib.sha256(data).hexdigest()
        if content in self.first_with_bytes:
            raise InputError(f"same content as {self.first_with_bytes[content].name}; not indexed twice")
        self.first_with_bytes[content] = path
        row = self.catalogues.row(path)
        known = self.by_digest.get(fingerprint(data, row))
        if known:
            self.result.unchanged += 1
            self.seen_ids.add(known)
            return None
        return data, row

    def commit(self, path: Path, prepared: Prepared) -> int:
        """Write a prepared file to the store and return how many chunks it wrote."""
        report = replace(prepared.source.report, source_path=display_path(path))
        if report.id in self.seen_ids:
            raise InputError(f"report id {report.id!r} is already used by another file")
        # The embedder's arrays go to Chroma as they are: lists of Python floats would be built and undone again.
        sentences = [
            [SentenceVector(start, end, vector) for (start, end), vector in zip(spans, pooled, strict=True)]
            for spans, pooled in zip(prepared.sentences, prepared.sentence_vectors, strict=True)
        ]
        chunks = prepared.chunks
        replaces = report.id in self.committed
        self.store.write(report, prepared.source.digest, chunks, prepared.vectors, sentences, replaces=replaces)
        self.seen_ids.add(report.id)
        status = "updated" if replaces else "added"
        setattr(self.result, status, getattr(self.result, status) + 1)
        log.info("ingest.report", report_id=report.id, status=status, chunks=len(chunks))
        self.result.chunks += len(chunks)
        return len(chunks)

    def fail(self, path: Path, err: InputError) -> None:
        """Record a file that could not be ingested; its committed version, if any, is kept."""
        self.result.failed.append(Failure(display_path(path), str(err)))
        self.kept_paths.add(display_path(path))
        log.warning("ingest.failed", path=display_path(path), error=str(err))

    def prune(self, roots: list[Path]) -> None:
        """Remove committed reports whose files under the scanned roots are gone."""
        for rid, stored in self.committed.items():
            source = Path(stored.report.source_path).resolve()
            in_scope = any(source.is_relative_to(root) for root in roots)
            if in_scope and rid not in self.seen_ids and stored.report.source_path not in self.kept_paths:
                self.store.remove(rid)
                self.result.removed += 1


def ingest(
    paths: list[Path],
    store: Store,
    embedder: Embedder | InlineWorkers | ProcessWorkers,
    *,
    max_bytes: int,
    max_pages: int = 2000,
    prune: bool = False,
    progress: Progress | None = None,
) -> IngestResult:
    """Add new and changed files, skip unchanged ones, and with `prune` remove vanished ones.

    Files are embedded by the embedder given, or by a pool of workers, and committed in sorted order.
    """
    started = time.perf_counter()
    roots = [p.resolve() for p in paths if p.exists()]
    run = _Run(store, roots, max_bytes, max_pages)
    result = run.result
    result.failed += [Failure(str(p), "no such file or folder") for p in paths if not p.exists()]
    if store.count() != sum(s.chunks for s in run.committed.values()):
        result.swept = store.sweep()  # a previous run was interrupted between writes
    workers = embedder if isinstance(embedder, (InlineWorkers, ProcessWorkers)) else InlineWorkers(embedder)
    pending: deque[tuple[Path, Future]] = deque()

    def finish(path: Path, future: Future) -> None:
        written = 0
        try:
            written = run.commit(path, future.result())
        except InputError as err:
            run.fail(path, err)
        if progress:
            progress(path, written)

    for path in discover(roots):
        try:
            job = run.check(path)
        except InputError as err:
            run.fail(path, err)
            job = None
        if job is None:
            if progress:
                progress(path, 0)
            continue
        pending.append((path, workers.submit(path, *job, max_pages)))
        # A short queue keeps every worker busy without holding many files' vectors in memory.
        while len(pending) > 2 * workers.size:
            finish(*pending.popleft())
    while pending:
        finish(*pending.popleft())
    if prune:
        run.prune(roots)
    result.seconds = time.perf_counter() - started
    log.info(
        "ingest.done", added=result.added, updated=result.updated, unchanged=result.unchanged,
        removed=result.removed, failed=len(result.failed), chunks=result.chunks,
        seconds=round(result.seconds, 2), swept=result.swept,
    )
    return result
