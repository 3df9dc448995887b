"""Tests for the per-user rate limit on questions."""

import threading

from bot.state.limits import RateLimit
from tests.clock import Clock


def test_first_n_pass_then_the_wait_until_the_oldest_leaves_the_window():
    """With a limit of 2 a minute, a third question 20 s after the first waits the 40 s left of its minute."""
    clock = Clock()
    limits = RateLimit(2, 60, clock=clock)
    assert limits.take("U1") == 0.0
    clock.now = 10
    assert limits.take("U1") == 0.0
    clock.now = 20
    assert limits.take("U1") == 40.0
    assert limits.take("U2") == 0.0  # someone else is unaffected
    clock.now = 60
    assert limits.take("U1") == 0.0  # the first question has left the window
    assert limits.take("U1") == 10.0  # the second (at 10 s) is still in it, and so is the one just asked


def test_refused_questions_do_not_extend_the_wait():
    """Asking again while limited counts nothing, so the wait still ends when the window says."""
    clock = Clock()
    limits = RateLimit(1, 60, clock=clock)
    limits.take("U1")
    for now in (10, 20, 30, 59):
        clock.now = now
        assert limits.take("U1") > 0
    clock.now = 60
    assert limits.take("U1") == 0.0


def test_zero_turns_the_limit_off():
    """A limit of 0 lets every question through and remembers nobody."""
    limits = RateLimit(0, 60, clock=Clock())
    assert all(limits.take("U1") == 0.0 for _ in range(1000))
    assert len(limits) == 0


def test_memory_is_bounded_and_quiet_users_are_forgotten():
    """No more than `users` people are held, and anyone whose last question has left the window is dropped."""
    clock = Clock()
    limits = RateLimit(5, 60, users=100, clock=clock)
    for n in range(1000):
        limits.take(f"U{n}")
    assert len(limits) == 100
    clock.now = 60
    assert len(limits) == 0


def test_concurrent_questions_are_counted_exactly():
    """Sixteen threads asking at once as the same person get exactly `limit` questions through."""
    limits = RateLimit(50, 60, clock=Clock())
    passed: list[bool] = []
    lock = threading.Lock()

    def ask() -> None:
        for _ in range(20):
            ok = limits.take("U1") == 0.0
            with lock:
                passed.append(ok)

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert passed.count(True) == 50 and len(passed) == 320
