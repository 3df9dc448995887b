"""Tests for the bounded, expiring cache behind dedupe, thread memory and shareable answers."""

import threading

from bot.state.cache import Cache
from tests.clock import Clock


def test_claim_succeeds_once_per_key():
    """A key can be claimed once; claiming it again, or with it among others, fails and claims nothing."""
    cache = Cache(size=10, ttl=60)
    assert cache.claim("event:1", "message:C:1")
    assert not cache.claim("event:1")
    assert not cache.claim("event:2", "message:C:1")
    assert cache.claim("event:2")


def test_entries_expire_after_the_ttl():
    """An entry older than the ttl is gone, so a key can be claimed again."""
    clock = Clock()
    cache = Cache(size=10, ttl=60, clock=clock)
    cache.put("k", "v")
    cache.claim("e")
    clock.now = 59.9
    assert cache.get("k") == "v" and not cache.claim("e")
    clock.now = 60.0
    assert cache.get("k") is None and cache.claim("e")


def test_least_recently_used_goes_first_when_full():
    """At its size the cache drops the entry used least recently."""
    cache = Cache(size=2, ttl=60)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 1)  # touch a
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3) and len(cache) == 2


def test_concurrent_claims_let_exactly_one_thread_win():
    """Of many threads claiming the same event at once, exactly one succeeds."""
    cache = Cache(size=100, ttl=60)
    start, wins = threading.Barrier(16), []

    def claim() -> None:
        start.wait()
        wins.append(cache.claim("event:same"))

    threads = [threading.Thread(target=claim) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 1
