"""The knowledge the bot answers from: the latest immutable snapshot of the store, swapped in when it changes.

Questions take one snapshot (`snapshot()`) and read only it, so a refresh running beside them can never mix
a new report list with an old chunk table. A refresh builds the next snapshot aside and swaps it in with one
assignment; while it builds, every other thread keeps answering from the snapshot it has.
"""

import contextlib
import ctypes
import gc
import sys
import threading
import time

import structlog

from bot.errors import StoreUnavailable
from bot.retrieval.snapshot import Snapshot
from bot.retrieval.vector_cache import VectorCache
from bot.store.chroma import Store

log = structlog.get_logger()


def release_memory() -> None:
    """Hand freed heap back to the system after a rebuild: the store's pages and the index's token lists leave
    a few hundred MB of free but fragmented memory at national scale, which glibc keeps unless asked."""
    gc.collect()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


class Knowledge:
    """What the bot knows right now; `refresh` picks up another process's ingest.

    Reading an attribute the snapshot has (`reports`, `chunks`, `index`, …) reads the current snapshot; code
    that reads more than one of them for one answer takes `snapshot()` first and reads that.
    """

    def __init__(self, store: Store, *, refresh_seconds: float = 30.0) -> None:
        self.store = store
        self.vectors = VectorCache(store)
        self.refresh_seconds = refresh_seconds
        self.checked_at = 0.0
        self.current = Snapshot(store, self.vectors)
        self._building = threading.Lock()
        self.refresh(force=True)

    def __getattr__(self, name: str):
        # Only names Knowledge itself lacks arrive here: they are the current snapshot's.
        if name == "current":
            raise AttributeError(name)
        return getattr(self.current, name)

    def reachable(self) -> bool:
        """Whether the store answers now: what a health check reports."""
        return self.store.reachable()

    def snapshot(self) -> Snapshot:
        """The snapshot to answer one question from, after picking up a changed store if a check is due."""
        self.refresh()
        return self.current

    def refresh(self, *, force: bool = False) -> bool:
        """Build and swap in a new snapshot if the store changed; checks at most every `refresh_seconds`.

        Only one thread builds at a time; the others carry on with the current snapshot rather than wait
        (a forced refresh waits its turn). While the store is unreachable the snapshot already held is kept,
        and checked again on the next question; with no snapshot yet, StoreUnavailable is raised.
        """
        now = time.monotonic()
        if not force and self.current.fingerprint and now - self.checked_at < self.refresh_seconds:
            return False
        if not self._building.acquire(blocking=force):
            return False
        try:
            return self._rebuild()
        finally:
            self._building.release()

    def _rebuild(self) -> bool:
        self.checked_at = time.monotonic()
        held = self.current
        try:
            fingerprint = self.store.fingerprint()
            if fingerprint == held.fingerprint:
                return False
            started = time.perf_counter()
            reports = {rid: stored.report for rid, stored in self.store.reports().items()}
            chunks = self.store.all_chunks()
        except StoreUnavailable:
            if not held.fingerprint:
                raise
            self.checked_at = 0.0
            log.warning("knowledge.unavailable", reports=len(held.reports))
            return False
        self.current = Snapshot.build(self.store, self.vectors, fingerprint, reports, chunks)  # the one swap
        del held, reports, chunks
        release_memory()
        log.info("knowledge.loaded", reports=len(self.current.reports), chunks=len(self.current.chunks),
                 ms=round((time.perf_counter() - started) * 1000))
        return True
