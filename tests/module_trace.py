"""Watch which of the bot's modules a piece of work passes through, in every thread it starts, and count calls.

A profile hook (sys.setprofile, and threading.setprofile for threads started while it is on) records the module of
every Python call into the `bot` package and which bot module made it. Modules that call no other bot module
(helpers such as the tokenizer, used in loops) are leaves, not stations on the path. Ordering the stations by
first visit, a call from a station to one visited earlier is a return; each distinct such (caller, callee) pair
counts once, so a loop does not inflate it: the measure of how often a question doubles back through the house.
"""

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Trace:
    """The modules visited, in order, and how often each watched function was called."""

    calls: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def modules(self) -> set[str]:
        """Every bot module called."""
        return {callee for _, callee in self.calls}

    @property
    def stations(self) -> set[str]:
        """Modules on the path: those that call another bot module."""
        return {caller for caller, callee in self.calls if caller != callee and caller.startswith("bot.")}

    @property
    def returns(self) -> set[tuple[str, str]]:
        """Distinct calls from a station back into a station first visited before it."""
        stations, first = self.stations, {}
        for _, callee in self.calls:
            first.setdefault(callee, len(first))
        return {(caller, callee) for caller, callee in self.calls
                if caller in stations and callee in stations and first.get(callee, 0) < first.get(caller, 0)}


@contextmanager
def traced(*watched) -> Iterator[Trace]:
    """Record bot modules visited and calls to the watched functions, in this thread and threads started inside."""
    trace = Trace()
    codes = {f.__code__: f.__qualname__ for f in watched}
    lock = threading.Lock()

    def hook(frame, event, _arg):
        if event != "call":
            return
        module = frame.f_globals.get("__name__", "")
        name = codes.get(frame.f_code)
        if name is not None:
            with lock:
                trace.counts[name] = trace.counts.get(name, 0) + 1
        if not module.startswith("bot."):
            return
        caller = frame.f_back.f_globals.get("__name__", "") if frame.f_back else ""
        with lock:
            trace.calls.append((caller, module))

    sys.setprofile(hook)
    threading.setprofile(hook)
    try:
        yield trace
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
