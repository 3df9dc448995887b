"""The judgement areas: one row each in `bot/data/judgement_areas.csv`, loaded once into frozen `Area`s.

Each has its key (how questions and the ranker name it: "care leavers"), its wording in an ILACS report's table
and in a SIF report, a short name for compact tables, its place in the table, whether today's framework grades
it, and the phrases staff use for it. Adding an area is a row there.
"""

import functools
from dataclasses import dataclass

from bot.datafiles import read_rows


@dataclass(frozen=True)
class Area:
    """One judgement area, as the table describes it."""

    key: str  # "care leavers"
    ilacs: str  # "The experiences and progress of care leavers" ('' when only SIF graded it)
    sif: str  # "Experiences and progress of care leavers" ('' when SIF had no such area)
    short: str  # "Care leavers"
    order: int  # its place in a judgement table
    current: bool  # one of the judgements an ILACS table grades today
    phrases: tuple[str, ...]  # how staff name it in a question

    @property
    def name(self) -> str:
        """Its canonical name: the ILACS wording, else the SIF wording."""
        return self.ilacs or self.sif


@functools.cache
def areas() -> tuple[Area, ...]:
    """Every judgement area, in the table's row order (which is the order its phrases are matched in)."""
    return tuple(Area(row["key"], row["ilacs"], row["sif"], row["short"], int(row["order"]), row["current"] == "yes",
                      tuple(p for p in row["phrases"].split(";") if p))
                 for row in read_rows("judgement_areas.csv"))


def area(key: str) -> Area:
    """The area with this key."""
    return next(a for a in areas() if a.key == key)


def current_areas() -> tuple[Area, ...]:
    """The judgements an ILACS table grades today, in the table's order (overall effectiveness first)."""
    return tuple(sorted((a for a in areas() if a.current), key=lambda a: a.order))


def ilacs_area(name: str) -> Area | None:
    """The area an ILACS judgement name (canonical wording) belongs to."""
    return next((a for a in areas() if a.ilacs and a.ilacs == name), None)


def area_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, area key) for every phrase staff use, in the table's order."""
    return tuple((phrase, a.key) for a in areas() for phrase in a.phrases)


OVERALL_KEY = "overall effectiveness"
