"""Tests for shared state in a real Redis: atomic claims across replicas, takeover, the shared rate limit, restarts."""

import threading
import time

import pytest
import redis
from structlog.testing import capture_logs

from bot.answer import Answer, Excerpt, Filters
from bot.report import Report
from bot.state import BUSY, CLAIMED, DONE, MINE, TAKEN, Recent
from bot.state.redis_backend import ALIVE_MS, RedisState


@pytest.fixture
def replicas(redis_url, redis_prefix):
    """Two replicas' state on one Redis, as two `findings serve` processes would have."""
    pair = [RedisState(redis_url, 3, prefix=redis_prefix) for _ in range(2)]
    yield pair
    for state in pair:
        state.close()


def test_one_claim_wins_however_many_threads_on_two_replicas_race(replicas):
    """Forty threads over two replicas claim the same event: exactly one gets it, the rest see it taken."""
    results, start = [], threading.Barrier(40)

    def race(state):
        start.wait()
        results.append(state.claim(("event:Ev1", "message:C1:1.0")))

    threads = [threading.Thread(target=race, args=(replicas[n % 2],)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(CLAIMED) == 1 and set(results) <= {CLAIMED, MINE, BUSY}


def test_a_finished_event_is_done_everywhere_and_a_twin_key_counts(replicas):
    """Once answered, the event and its message twin read as done on both replicas."""
    first, second = replicas
    assert first.claim(("event:Ev2", "message:C1:2.0")) == CLAIMED
    assert second.claim(("event:Ev2b", "message:C1:2.0")) == BUSY  # the app_mention twin of the same message
    first.finish(("event:Ev2", "message:C1:2.0"))
    assert second.claim(("event:Ev2",)) == DONE and first.claim(("message:C1:2.0",)) == DONE


def test_a_dead_replicas_claim_is_taken_over_once_its_alive_key_lapses(redis_url, redis_prefix):
    """A replica that stops beating (killed) loses its claims within ALIVE_MS; a retry elsewhere takes over."""
    dead, alive = RedisState(redis_url, 0, prefix=redis_prefix), RedisState(redis_url, 0, prefix=redis_prefix)
    try:
        assert dead.claim(("event:Ev3",)) == CLAIMED
        dead._stop.set()  # as SIGKILL would: no more heartbeats, nothing cleaned up
        dead._heart.join()
        assert alive.claim(("event:Ev3",)) == BUSY
        time.sleep(ALIVE_MS / 1000 + 0.5)
        assert alive.claim(("event:Ev3",)) == TAKEN  # taken over: the caller looks for a reply the dead one posted
        assert dead.claim(("event:Ev3",)) == BUSY  # and it is the survivor's now
    finally:
        alive.close()


def test_the_rate_limit_is_counted_across_replicas(replicas):
    """With a limit of 3 a minute, questions on either replica count together; the fourth waits about a minute."""
    first, second = replicas
    assert [first.take("U1"), second.take("U1"), first.take("U1")] == [0.0, 0.0, 0.0]
    wait = second.take("U1")
    assert 55 < wait <= 60
    assert first.take("U2") == 0.0  # another user has their own count


def test_threads_and_kept_answers_read_back_on_the_other_replica_with_their_attribution(replicas):
    """A thread's filters and a kept answer written by one replica read back whole on the other."""
    first, second = replicas
    filters = Filters(("Dorset",), 2020, None, "focused_visit", ("South West",), "grades")
    first.keep_thread("C1", "9.0", filters)
    assert second.thread("C1", "9.0") == filters
    report = Report(id="dorset-ilacs-2025-05-09", title="Inspection of Dorset", local_authority="Dorset",
                    report_type="ilacs_inspection", publisher="Ofsted", published="2025-05-09",
                    url="https://files.ofsted.gov.uk/x",
                    judgements={"Overall effectiveness": "Outstanding"})
    answer = Answer(True, "1 excerpt", [Excerpt("Children in Dorset receive exceptional services.", report,
                                                "Headline", 0.9, 10, 58, "c1")], filters, "quotes")
    first.keep_recent("A1", Recent("how is Dorset?", answer, False))
    assert second.recent("A1") == Recent("how is Dorset?", answer, False)
    assert second.recent("unknown") is None


def test_while_redis_is_down_state_falls_back_to_memory_logs_once_and_recovers(own_redis):
    """Stopping Redis: claims still work from memory, one error line; back up: one recovery line, Redis again."""
    state = RedisState(own_redis.url, 2, prefix="t:")
    try:
        assert state.claim(("event:before",)) == CLAIMED
        own_redis.stop()
        with capture_logs() as logs:
            assert state.claim(("event:during",)) == CLAIMED  # answered, not dropped
            assert state.claim(("event:during",)) == MINE  # and still deduplicated, in memory
            assert [state.take("U1"), state.take("U1")] == [0.0, 0.0] and state.take("U1") > 0
            assert not state.available
            own_redis.start()
            time.sleep(1.2)  # the next call tries Redis again
            assert state.claim(("event:after",)) == CLAIMED
        events = [entry["event"] for entry in logs]
        assert events.count("state.unavailable") == 1 and events.count("state.recovered") == 1
        assert state.available
        assert redis.Redis.from_url(own_redis.url).exists("t:event:event:after")
    finally:
        state.close()
