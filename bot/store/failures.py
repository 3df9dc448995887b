"""How the store's calls meet failure: a server that cannot be reached, and an embedded database briefly locked."""

import functools
import time
from collections.abc import Callable

from bot.errors import StoreUnavailable


def guarded(method: Callable) -> Callable:
    """Turn a failure while the store cannot be reached into StoreUnavailable; other errors pass through."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreUnavailable:
            raise
        except Exception as err:
            if self.reachable():
                raise
            raise StoreUnavailable("the knowledge base is unavailable") from err

    return call


def while_locked(write: Callable[[], None], tries: int = 6) -> None:
    """Run an embedded store's write, waiting out SQLite's "database is locked" from Chroma's own background work."""
    for attempt in range(tries):
        try:
            return write()
        except Exception as err:  # chromadb's InternalError; only the lock is worth waiting for
            if "database is locked" not in str(err) or attempt == tries - 1:
                raise
            time.sleep(0.05 * 2**attempt)
