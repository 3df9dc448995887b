"""Shared state in Redis (`REDIS_URL`): every replica sees the same claims, threads, answers and counts.

Claims and the rate limit are Lua scripts, so each is one atomic step however many replicas race. A claim
names its replica; each replica keeps a short-lived "alive" key, so a retry of an event whose replica died
mid-answer is taken over instead of lost. While Redis cannot be reached the replica keeps answering on its
own memory (logged once, as `state.unavailable`) and goes back to Redis by itself when it returns.
"""

import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable, Hashable

import redis
import structlog
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.answer import Filters
from bot.privacy import digest
from bot.state import EVENT_TTL, MINUTE, ONCE_TTL, RECENT_TTL, THREAD_TTL, Recent
from bot.state.codec import dumps_recent, filters_from_dict, filters_to_dict, loads_recent
from bot.state.memory import MemoryState

log = structlog.get_logger()

# A replica's "alive" key lives this long and is renewed three times as often, so a dead replica's claims
# can be taken over within ALIVE_MS.
ALIVE_MS = 3000
# Each Redis call waits at most this long; a slow Redis must not hold up Slack's 3-second ack.
TIMEOUT_S = 0.5
# After a failure, Redis is tried again no sooner than this; until then state is kept in memory.
RETRY_AFTER_S = 1.0

# KEYS: the event's keys. ARGV: this replica, the claim's ttl (ms), the prefix of the alive keys, their ttl (ms).
# The alive keys are read by name inside the script, so this assumes one Redis, not a cluster.
_CLAIM = """
redis.call('SET', ARGV[3] .. ARGV[1], '1', 'PX', ARGV[4])
local taken = false
for _, key in ipairs(KEYS) do
  local owner = redis.call('GET', key)
  if owner == 'done' then return 'done' end
  if owner == ARGV[1] then return 'mine' end
  if owner then
    if redis.call('EXISTS', ARGV[3] .. owner) == 1 then return 'busy' end
    taken = true
  end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, ARGV[1], 'PX', ARGV[2]) end
if taken then return 'taken' end
return 'claimed'
"""
# KEYS: the user's window. ARGV: window (ms), limit, a unique member. Server time, so replicas' clocks agree.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
"""


def replica_name() -> str:
    """This replica's name in claims: host, process and a random part, so a restart is a new replica."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


class RedisState:
    """State in Redis under `prefix`, with this process's memory standing in while Redis is down."""

    def __init__(self, url: str, rate_limit: int, *, prefix: str = "findings:", window: float = MINUTE,
                 client: redis.Redis | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client or redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S, retry=Retry(NoBackoff(), 0),
            decode_responses=True)
        self.prefix, self.rate_limit, self.window_ms = prefix, rate_limit, int(window * 1000)
        self.name = replica_name()
        self.local = MemoryState(rate_limit, window=window, clock=clock)
        self._claim = self.client.register_script(_CLAIM)
        self._take = self.client.register_script(_TAKE)
        self._clock = clock
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._heart = threading.Thread(target=self._beat, name="findings-alive", daemon=True)
        self._heart.start()

    def _key(self, *parts: Hashable) -> str:
        return self.prefix + ":".join(str(p) for p in parts)

    def _call(self, work: Callable, fallback: Callable):
        """Run `work` against Redis, or `fallback` in memory while Redis is down (tried again each second)."""
        if self._clock() < self._retry_at:
            return fallback()
        try:
            result = work()
        except redis.RedisError as err:
            with self._lock:
                if self._down_since is None:
                    self._down_since = self._clock()
                    log.error("state.unavailable", backend="redis", error=type(err).__name__,
                              fallback="memory")
                self._retry_at = self._clock() + RETRY_AFTER_S
            return fallback()
        if self._down_since is not None:
            with self._lock:
                if self._down_since is not None:
                    log.warning("state.recovered", backend="redis",
                                down_s=round(self._clock() - self._down_since, 1))
                    self._down_since = None
        return result

    @property
    def available(self) -> bool:
        """False while Redis is down and memory stands in."""
        return self._down_since is None

    def _beat(self) -> None:
        while not self._stop.wait(ALIVE_MS / 3000):
            self._call(lambda: self.client.set(self._key("alive", self.name), "1", px=ALIVE_MS), lambda: None)

    def claim(self, keys: tuple[Hashable, ...]) -> str:
        """One atomic claim over all the event's keys; a dead replica's claim is taken over."""
        redis_keys = [self._key("event", k) for k in keys]
        args = [self.name, int(EVENT_TTL * 1000), self._key("alive", ""), ALIVE_MS]
        return self._call(lambda: self._claim(keys=redis_keys, args=args), lambda: self.local.claim(keys))

    def finish(self, keys: tuple[Hashable, ...]) -> None:
        """Mark every key of the event done, for an hour."""
        def work() -> None:
            with self.client.pipeline(transaction=True) as pipe:
                for key in keys:
                    pipe.set(self._key("event", key), "done", px=int(EVENT_TTL * 1000))
                pipe.execute()
        self.local.finish(keys)  # a retry during a later outage is still known here
        self._call(work, lambda: None)

    def take(self, user: str) -> float:
        """The sliding-window limit, counted across every replica."""
        if self.rate_limit <= 0:
            return 0.0
        key = self._key("rate", digest(user))
        return self._call(
            lambda: float(self._take(keys=[key], args=[self.window_ms, self.rate_limit, secrets.token_hex(6)]))
            / 1000, lambda: self.local.take(user))

    def thread(self, channel: str, ts: str) -> Filters | None:
        """The thread's filters from Redis (or memory while it is down)."""
        def work() -> Filters | None:
            text = self.client.get(self._key("thread", channel, ts))
            return filters_from_dict(json.loads(text)) if text else None
        return self._call(work, lambda: self.local.thread(channel, ts))

    def keep_thread(self, channel: str, ts: str, filters: Filters) -> None:
        """Remember the thread's filters for a week."""
        self.local.keep_thread(channel, ts, filters)
        self._call(lambda: self.client.set(self._key("thread", channel, ts), json.dumps(filters_to_dict(filters)),
                                           px=int(THREAD_TTL * 1000)), lambda: None)

    def recent(self, answer_id: str) -> Recent | None:
        """A kept answer, from whichever replica gave it."""
        def work() -> Recent | None:
            text = self.client.get(self._key("recent", answer_id))
            return loads_recent(text) if text else self.local.recent(answer_id)
        return self._call(work, lambda: self.local.recent(answer_id))

    def keep_recent(self, answer_id: str, recent: Recent) -> None:
        """Keep an answer for a day, for 'Share in channel' on any replica."""
        self.local.keep_recent(answer_id, recent)
        self._call(lambda: self.client.set(self._key("recent", answer_id), dumps_recent(recent),
                                           px=int(RECENT_TTL * 1000)), lambda: None)

    def lease(self, name: str, seconds: float) -> bool:
        """SET NX with an expiry: one holder across replicas until it runs out."""
        return bool(self._call(lambda: self.client.set(self._key("lease", name), self.name, nx=True,
                                                       px=int(seconds * 1000)),
                               lambda: self.local.lease(name, seconds)))

    def first(self, key: str) -> bool:
        """SET NX for a year: True for exactly one caller across replicas and restarts."""
        return bool(self._call(lambda: self.client.set(self._key("once", key), self.name, nx=True,
                                                       px=int(ONCE_TTL * 1000)),
                               lambda: self.local.first(key)))

    def follow(self, target: str, councils: tuple[str, ...], on: bool = True) -> None:
        """Keep each target's councils in a Redis set, and the targets in another."""
        def work() -> None:
            with self.client.pipeline(transaction=True) as pipe:
                if on:
                    pipe.sadd(self._key("follows", target), *councils)
                    pipe.sadd(self._key("followers"), target)
                else:
                    pipe.srem(self._key("follows", target), *councils)
                pipe.execute()
        if councils:
            self.local.follow(target, councils, on)
            self._call(work, lambda: None)

    def following(self) -> dict[str, frozenset[str]]:
        """Every target's councils, read from Redis (memory while it is down)."""
        def work() -> dict[str, frozenset[str]]:
            targets = sorted(self.client.smembers(self._key("followers")))
            found = {t: frozenset(self.client.smembers(self._key("follows", t))) for t in targets}
            return {t: c for t, c in found.items() if c}
        return self._call(work, self.local.following)

    def close(self) -> None:
        """Stop the heartbeat and say this replica is gone, so its claims can be taken over at once."""
        self._stop.set()
        self._heart.join(timeout=2)
        self._call(lambda: self.client.delete(self._key("alive", self.name)), lambda: None)
        self.client.close()
