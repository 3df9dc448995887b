"""Shared state in this process's memory: right for one replica, and the fallback while Redis is away."""

import threading
import time
from collections.abc import Callable, Hashable

from bot.answer import Filters
from bot.state import CLAIMED, DONE, EVENT_TTL, MINE, MINUTE, RECENT_TTL, THREAD_TTL, Recent
from bot.state.cache import Cache
from bot.state.limits import RateLimit


class MemoryState:
    """Bounded, expiring maps for claims, threads and answers, and a sliding-window rate limit."""

    def __init__(self, rate_limit: int, *, window: float = MINUTE, clock: Callable[[], float] = time.monotonic) -> None:
        self.events: Cache[str] = Cache(size=20_000, ttl=EVENT_TTL, clock=clock)
        self.threads: Cache[Filters] = Cache(size=5_000, ttl=THREAD_TTL, clock=clock)
        self.answers: Cache[Recent] = Cache(size=1_000, ttl=RECENT_TTL, clock=clock)
        self.limits = RateLimit(rate_limit, window, clock=clock)
        self._claims = threading.Lock()
        self._leases: dict[str, float] = {}
        self._seen: set[str] = set()
        self._follows: dict[str, set[str]] = {}
        self._clock = clock

    def claim(self, keys: tuple[Hashable, ...]) -> str:
        """CLAIMED, or DONE/MINE when any key is answered or being answered here."""
        with self._claims:
            found = [self.events.get(key) for key in keys]
            if DONE in found:
                return DONE
            if any(found):
                return MINE
            for key in keys:
                self.events.put(key, MINE)
            return CLAIMED

    def finish(self, keys: tuple[Hashable, ...]) -> None:
        """Mark the event answered."""
        with self._claims:
            for key in keys:
                self.events.put(key, DONE)

    def take(self, user: str) -> float:
        """The sliding-window limit for one user."""
        return self.limits.take(user)

    def thread(self, channel: str, ts: str) -> Filters | None:
        """The thread's filters, if remembered."""
        return self.threads.get((channel, ts))

    def keep_thread(self, channel: str, ts: str, filters: Filters) -> None:
        """Remember the thread's filters."""
        self.threads.put((channel, ts), filters)

    def recent(self, answer_id: str) -> Recent | None:
        """The kept answer, if any."""
        return self.answers.get(answer_id)

    def keep_recent(self, answer_id: str, recent: Recent) -> None:
        """Keep the answer."""
        self.answers.put(answer_id, recent)

    def lease(self, name: str, seconds: float) -> bool:
        """Take the lease unless it is held and not yet run out."""
        with self._claims:
            now = self._clock()
            if self._leases.get(name, 0.0) > now:
                return False
            self._leases[name] = now + seconds
            return True

    def first(self, key: str) -> bool:
        """True once per key in this process."""
        with self._claims:
            fresh = key not in self._seen
            self._seen.add(key)
            return fresh

    def follow(self, target: str, councils: tuple[str, ...], on: bool = True) -> None:
        """Add or remove councils a target follows."""
        with self._claims:
            chosen = self._follows.setdefault(target, set())
            if on:
                chosen.update(councils)
            else:
                chosen.difference_update(councils)

    def following(self) -> dict[str, frozenset[str]]:
        """Each target and the councils it follows."""
        with self._claims:
            return {target: frozenset(c) for target, c in self._follows.items() if c}

    def close(self) -> None:
        """Nothing to release."""
