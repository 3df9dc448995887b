"""A bounded, thread-safe map whose entries expire: event ids seen, thread filters, recent answers."""

import threading
import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from cachetools import TTLCache

V = TypeVar("V")


class Cache(Generic[V]):
    """Least-recently-used entries go first when full; any entry goes after `ttl` seconds (cachetools' TTLCache,
    which is not thread-safe by itself, behind one lock)."""

    def __init__(self, size: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.ttl, self.clock = size, ttl, clock
        self._items: TTLCache[Hashable, V] = TTLCache(maxsize=size, ttl=ttl, timer=clock)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._items.expire()
            return len(self._items)

    def get(self, key: Hashable) -> V | None:
        """The value, or None when absent or expired."""
        with self._lock:
            return self._items.get(key)

    def put(self, key: Hashable, value: V) -> None:
        """Store a value, as the newest entry."""
        with self._lock:
            self._items.pop(key, None)  # a stored value starts its time to live again
            self._items[key] = value

    def claim(self, *keys: Hashable) -> bool:
        """Atomically mark every key as taken; False, changing nothing, if any of them already was."""
        with self._lock:
            if any(key in self._items for key in keys):
                return False
            for key in keys:
                self._items[key] = True  # type: ignore[assignment]  # claim() is for Cache[bool], as used for dedupe
            return True
