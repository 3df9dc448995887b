"""State the Slack replicas share: event claims, thread filters, answers kept for sharing, rate limits and votes.

In memory for one replica, in Redis (`REDIS_URL`) for several; `redis_backend.py` is the only module that imports
redis. It may import the shared top level and the stages up to `bot.routing`; it sits beside `bot.evaluation`.
"""

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Protocol

from bot.answer import Answer, Filters

# What claiming an event can find. CLAIMED: it is ours to answer. TAKEN: ours, taken over from a replica that died
# holding it (it may have replied just before dying: look first). DONE: answered already. MINE: this replica is
# answering it now. BUSY: another replica, still alive, is answering it now (it may yet die; watch it).
CLAIMED, TAKEN, DONE, MINE, BUSY = "claimed", "taken", "done", "mine", "busy"

HOUR = 3600.0
# Slack retries an event three times within about five minutes; an hour of event ids is plenty.
EVENT_TTL = HOUR
THREAD_TTL = 7 * 24 * HOUR
RECENT_TTL = 24 * HOUR
MINUTE = 60.0
ONCE_TTL = 366 * 24 * HOUR


@dataclass(frozen=True)
class Recent:
    """An ephemeral answer kept so that 'Share in channel' can post it."""

    question: str
    answer: Answer
    private: bool  # the question looked like personal data, so it is never reposted


class State(Protocol):
    """What the replicas share. Every method is safe to call from many threads at once."""

    def claim(self, keys: tuple[Hashable, ...]) -> str:
        """Take an event (all its keys at once) to answer: CLAIMED or TAKEN, or why not (DONE, MINE or BUSY)."""

    def finish(self, keys: tuple[Hashable, ...]) -> None:
        """Mark a claimed event answered, so no retry of it is answered again."""

    def take(self, user: str) -> float:
        """Count a question from a user: 0, or the seconds until they may ask again (nothing counted)."""

    def thread(self, channel: str, ts: str) -> Filters | None:
        """The filters remembered for a thread, or None."""

    def keep_thread(self, channel: str, ts: str, filters: Filters) -> None:
        """Remember a thread's filters for its follow-ups."""

    def recent(self, answer_id: str) -> Recent | None:
        """An answer kept for sharing, or None when unknown or expired."""

    def keep_recent(self, answer_id: str, recent: Recent) -> None:
        """Keep an answer for sharing."""

    def lease(self, name: str, seconds: float) -> bool:
        """Take a named lease for `seconds` if no replica holds it: one replica syncs at a time, and a dead one's
        lease runs out by itself."""

    def first(self, key: str) -> bool:
        """True for the first caller with this key, on any replica, for a year: each report is announced once."""

    def follow(self, target: str, councils: tuple[str, ...], on: bool = True) -> None:
        """Start (or with on=False stop) sending a user or channel the news of these councils."""

    def following(self) -> dict[str, frozenset[str]]:
        """Every user or channel following councils, and which."""

    def close(self) -> None:
        """Release connections and background threads."""


def open_state(redis_url: str | None, rate_limit: int, prefix: str = "findings:") -> State:
    """Redis state when a URL is given, else memory; the entrypoint builds it and hands it to the Slack app."""
    if not redis_url:
        from bot.state.memory import MemoryState

        return MemoryState(rate_limit)
    from bot.state.redis_backend import RedisState

    return RedisState(redis_url, rate_limit, prefix=prefix)
