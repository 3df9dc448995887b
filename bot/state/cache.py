"""A bounded, thread-safe map whose entries expire: event ids seen, thread filters, recent answers."""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Cache(Generic[V]):
    """Least-recently-used entries go first when full; any entry goes after `ttl` seconds."""

    def __init__(self, size: int, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.ttl, self.clock = size, ttl, clock
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._expire()
            return len(self._items)

    def _expire(self) -> None:
        now = self.clock()
        while self._items:
            key, (stored_at, _) = next(iter(self._items.items()))
            if now - stored_at < self.ttl:
                return
            del self._items[key]

    def _store(self, key: Hashable, value: V) -> None:
        self._items.pop(key, None)
        self._items[key] = (self.clock(), value)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def get(self, key: Hashable) -> V | None:
        """The value, or None when absent or expired."""
        with self._lock:
            self._expire()
            return self._items[key][1] if key in self._items else None

    def put(self, key: Hashable, value: V) -> None:
        """Store a value, as the newest entry."""
        with self._lock:
            self._expire()
            self._store(key, value)

    def claim(self, *keys: Hashable) -> bool:
        """Atomically mark every key as taken; False, changing nothing, if any of them already was."""
        with self._lock:
            self._expire()
            if any(key in self._items for key in keys):
                return False
            for key in keys:
                self._store(key, True)  # type: ignore[arg-type]  # claim() is for Cache[bool], as used for dedupe
            return True
