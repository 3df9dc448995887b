"""The registry of leaders' features: how each is asked for, how it is built, and its optional chart and paper.

A feature is one module in `bot/leaders/features/` that declares a `FEATURE`. Slack's `/findings`, its plain-chat
phrasing, the Word buttons, the help and the App Home, and the command line all read this registry, so a new
feature is that module plus, if it needs one, a Block Kit renderer in `bot/slack/summaries.py`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.leaders.grid import Grid
    from bot.leaders.history import History
    from bot.retrieval.knowledge import Knowledge


@dataclass(frozen=True)
class Request:
    """What a feature is asked: its words, any command-line options, one snapshot and, for searches, the engine."""

    text: str
    knowledge: Knowledge
    engine: Any = None  # the answer engine, for a feature that searches (a theme); None for the rest
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    """A command-line option a feature takes beside its words, such as `--since 2022` or `--council Liverpool`."""

    name: str
    help: str
    type: type = str
    multiple: bool = False


Draw = Callable[["History | Grid"], bytes]  # a chart's PNG: drawn in-process on the command line, by a worker in Slack


@dataclass(frozen=True)
class Feature:
    """One leaders' feature: its words, its help line, how it is built, rendered as text, and drawn or written up."""

    name: str  # the subcommand: `/findings summary`, `findings summary`, and a Word button's "summary:…"
    words: tuple[str, ...]  # every first word of `/findings …` that asks for it
    argument: str  # what follows the word in the help, e.g. "<local authority>"
    optional: bool  # whether the feature can be asked with no argument (`/findings judgements`)
    help: str  # one line for `/findings help`, the App Home and `findings --help`
    order: int  # its place in the help
    build: Callable[[Request], Any]
    text: Callable[[Any], str]  # plain text: the command line, and a Slack message's fallback
    json: Callable[[Any], Any]
    searches: bool = False  # needs the answer engine (and so the embedding model)
    options: tuple[Option, ...] = ()
    asked: tuple[re.Pattern, ...] = ()  # plain-chat phrasing it owns; the `subject` (and any `on`) group its argument
    accepts: Callable[[str], bool] = lambda _subject: True  # whether a plain-chat subject is one it answers
    # Its picture (a History or a Grid: anything with title, key() and alt_text()); may raise InputError.
    chart: Callable[[Any, Knowledge], History | Grid | None] | None = None
    paper: Callable[[Any, Knowledge, dt.date, Draw], tuple[str, bytes]] | None = None  # (title, .docx bytes)

    @property
    def usage(self) -> str:
        """How to ask for it after `/findings`: "summary <local authority>"."""
        return f"{self.name} {self.argument}".strip()


@cache
def features() -> tuple[Feature, ...]:
    """Every feature declared in `bot/leaders/features/`, in help order."""
    from bot.leaders import features as package

    found = []
    for module in pkgutil.iter_modules(package.__path__):
        declared = getattr(importlib.import_module(f"{package.__name__}.{module.name}"), "FEATURE", None)
        if isinstance(declared, Feature):
            found.append(declared)
    return tuple(sorted(found, key=lambda f: (f.order, f.name)))


def feature(name: str) -> Feature | None:
    """The feature of this name (a Word button's kind), if there is one."""
    return next((f for f in features() if f.name == name), None)


def asked_by_word(word: str) -> Feature | None:
    """The feature a first word of `/findings …` asks for ("brief" is the summary), if any."""
    word = word.lower()
    return next((f for f in features() if word in f.words), None)


def asked_in_chat(text: str) -> tuple[Feature, str] | None:
    """The feature whose plain-chat phrasing this message is ("brief me on Dorset"), with its argument."""
    words = " ".join(text.split())
    for candidate in features():
        for pattern in candidate.asked:
            match = pattern.fullmatch(words)
            if match and candidate.accepts(match.group("subject").strip()):
                # An optional `on` group ("… on care leavers") narrows the argument the subject begins.
                return candidate, " ".join(filter(None, (match.group("subject").strip(),
                                                          (match.groupdict().get("on") or "").strip())))
    return None
