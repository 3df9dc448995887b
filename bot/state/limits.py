"""A per-user rate limit on questions: a sliding window, thread-safe, holding a bounded number of users."""

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

MINUTE = 60.0


class RateLimit:
    """At most `limit` questions per user in any `window` seconds; a limit of 0 lets everything through."""

    def __init__(self, limit: int, window: float = MINUTE, *, users: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.users, self.clock = limit, window, users, clock
        # Least recently active user first; each holds the times of their last `limit` questions, oldest first.
        self._asked: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            self._forget(self.clock())
            return len(self._asked)

    def _forget(self, now: float) -> None:
        # A user whose latest question has left the window has nothing left to count.
        while self._asked:
            user, times = next(iter(self._asked.items()))
            if now - times[-1] < self.window:
                return
            del self._asked[user]

    def take(self, user: Hashable) -> float:
        """Count a question from `user` and return 0, or, if over the limit, count nothing and return the
        seconds until they may ask again."""
        if self.limit <= 0:
            return 0.0
        with self._lock:
            now = self.clock()
            self._forget(now)
            times = self._asked.get(user)
            if times is not None and len(times) >= self.limit and now - times[0] < self.window:
                return times[0] + self.window - now
            if times is None:
                times = self._asked[user] = deque(maxlen=self.limit)
            times.append(now)
            self._asked.move_to_end(user)
            while len(self._asked) > self.users:
                self._asked.popitem(last=False)  # memory stays bounded; the quietest user starts afresh
            return 0.0
