"""Charts drawn in a separate process: answers keep this process's GIL, and matplotlib stays out of its memory.

A chart takes about 250 ms of CPU; drawn on a thread it competes with the answer workers for the GIL. One
spawned worker process per bot process draws them instead (on the core an answering process leaves idle), and
the PNG comes back as bytes. A drawn chart is kept by its content, so the same chart is not drawn twice.
"""

import atexit
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.leaders.grid import Grid
from bot.leaders.history import History
from bot.state.cache import Cache

DRAW_TIMEOUT = 60.0
CHARTS_KEPT, CHART_TTL = 64, 3600.0  # about 70 KB each; an hour bounds how long a re-ingested report's chart lasts

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_drawn: Cache[bytes] = Cache(CHARTS_KEPT, CHART_TTL)


def png_of(history: History | Grid) -> bytes:
    """In the drawing process: the chart as PNG bytes (matplotlib is imported there, on the first chart)."""
    from bot.leaders.chart import draw

    return draw(history)


def _drawer() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            # spawn, not fork: this process runs threads, and a forked child would inherit their held locks.
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        return _pool


def chart_png(history: History | Grid) -> bytes:
    """The chart's PNG: kept from an earlier drawing of the same content, or drawn now in the drawing process."""
    global _pool
    key = history.key()
    png = _drawn.get(key)
    if png is not None:
        return png
    try:
        png = _drawer().submit(png_of, history).result(timeout=DRAW_TIMEOUT)
    except BrokenProcessPool:  # the drawing process died: the next chart starts a new one
        with _lock:
            _pool = None
        raise
    _drawn.put(key, png)
    return png


@atexit.register
def _stop() -> None:
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
