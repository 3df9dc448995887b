"""Tests for how the store's calls meet failure."""

import pytest

from bot.store.failures import while_locked


def test_a_write_waits_out_a_locked_database_and_other_errors_pass_at_once():
    """SQLite's "database is locked" is retried until the write goes through; any other error is raised unretried."""
    calls = []

    def locked_twice():
        calls.append(1)
        if len(calls) < 3:
            raise RuntimeError("Database error: error returned from database: (code: 5) database is locked")

    while_locked(locked_twice)
    assert len(calls) == 3

    def broken():
        calls.append(1)
        raise RuntimeError("no such collection")

    calls.clear()
    with pytest.raises(RuntimeError, match="no such collection"):
        while_locked(broken)
    assert len(calls) == 1
    calls.clear()
    with pytest.raises(RuntimeError, match="locked"):
        while_locked(locked_twice, tries=2)  # a lock that outlasts every try is raised, not swallowed
    assert len(calls) == 2
