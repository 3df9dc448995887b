"""`findings serve` keeps current: a sync every SYNC_HOURS on one replica at a time, new reports handed on.

Every replica runs the timer; whichever takes the shared lease first syncs, and the lease lasts most of the period,
so the others find it held and wait for the next. A replica that dies while syncing leaves a lease that runs out,
and the next period's sync is someone else's. The snapshot swap brings what was ingested to every replica.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import structlog

from bot.ofsted.session import every_council, sync_now
from bot.ofsted.updater import SyncRun
from bot.settings import Settings
from bot.state import State

log = structlog.get_logger()

LEASE = "ofsted-sync"
HELD_FOR = 0.9  # of the period: a lease that outlives a run but never the next period


class Schedule:
    """A daemon thread that syncs now and then every `settings.sync_hours`, when this replica holds the lease."""

    def __init__(self, settings: Settings, state: State, on_new: Callable[[SyncRun], None],
                 sync: Callable[..., SyncRun] = sync_now) -> None:
        self.settings, self.state, self.on_new, self.sync = settings, state, on_new, sync
        self.period = settings.sync_hours * 3600
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="findings-sync", daemon=True)

    def start(self) -> None:
        """Begin syncing on the schedule (nothing happens when SYNC_HOURS is 0)."""
        if self.period > 0:
            self._thread.start()

    def stop(self) -> None:
        """Stop after the current run."""
        self._stop.set()

    def run_once(self) -> SyncRun | None:
        """Sync if this replica takes the lease; None when another replica has it."""
        if not self.state.lease(LEASE, self.period * HELD_FOR):
            log.info("ofsted.sync_skipped", reason="another replica holds the lease")
            return None
        run = self.sync(self.settings, every_council())
        data = run.to_json()
        log.info("ofsted.synced", councils=data["checked"], unchanged=data["unchanged"], added=len(data["added"]),
                 linked=len(data["linked"]), errors=len(data["errors"]), requests=data["requests"],
                 seconds=data["seconds"])
        if run.added:
            self.on_new(run)
        return run

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception as err:  # a failed run is logged; the next period tries again
                log.error("ofsted.sync_failed", error=type(err).__name__)
            self._stop.wait(self.period)
