"""Groups of councils a question can name: an English region, a council's statistical neighbours, a size band.

`bot/data/regions.csv` maps every council to its ONS region (source and notes in `bot/data/regions.md`);
`region_aliases.csv` lists the ways staff write a region's name. "Which of Reading's neighbours are outstanding?"
and "which large councils are inadequate?" ask for a list across a group, not about one council. The size bands
are rows of `bot/data/size_bands.csv`, by the population aged 0–25 in the DfE's lookup; a band is named only
beside a word for councils ("small councils"), so "a small number of children" names none.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.datafiles import read_rows
from bot.language.grades import NAMED_GRADE
from bot.language.neighbours import by_name, neighbours

if TYPE_CHECKING:
    from bot.answer import Filters

REGIONS = ("North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West")


@functools.cache
def region_of() -> dict[str, str]:
    """Each council's region, by the council's canonical name."""
    return {row["local_authority"]: row["region"] for row in read_rows("regions.csv")}


def councils_in(region: str) -> frozenset[str]:
    """The councils of one region."""
    return frozenset(la for la, r in region_of().items() if r == region)


def _key(phrase: str) -> str:
    return " ".join(re.findall(r"[a-z&]+", phrase.lower()))


@functools.cache
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    aliases = {_key(row["alias"]): row["region"] for row in read_rows("region_aliases.csv")}
    aliases |= {_key(region): region for region in REGIONS}
    words = [r"[\s-]+".join(re.escape(w) for w in alias.split()) for alias in sorted(aliases, key=len, reverse=True)]
    return re.compile(rf"(?<![\w&])(?:{'|'.join(words)})(?![\w&])", re.IGNORECASE), aliases


def region_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, region) for each region a text names, longest wording first."""
    regex, aliases = _pattern()
    found = [(m.start(), m.end(), _key(m.group(0))) for m in regex.finditer(text)]
    return [(start, end, aliases[key]) for start, end, key in found if key in aliases]

WE = "we"  # "our neighbours": the council of the thread or DM it is asked in
# "statistical neighbours", "stat neighbours", "neighbors": the DfE's term as staff write it, for every module that
# reads it (the neighbours table's phrasing, /findings follow).
NEIGHBOURS = r"(?:stat(?:istical)?s?\.?\s+)?neighbou?rs?\b"
# Words that ask which members of a group ("which of Reading's neighbours…", "are any of…"): a list across it.
ACROSS = r"(?:which|list|name|any|how\s+many|who)"
_ACROSS = re.compile(rf"(?i)\b{ACROSS}\b")
_COUNCILS = r"(?:\w+\s+)?(?:councils?|local\s+authorit(?:y|ies)|authorit(?:y|ies)|LAs?|boroughs?|counties|areas?)\b"


@dataclass(frozen=True)
class SizeBand:
    """Councils whose population aged 0–25 lies in [low, high]."""

    name: str
    low: int
    high: int | None
    phrases: tuple[str, ...]

    def holds(self, population: int) -> bool:
        """True when a population falls in the band."""
        return population >= self.low and (self.high is None or population <= self.high)


@functools.cache
def size_bands() -> tuple[SizeBand, ...]:
    """The bands, smallest first."""
    return tuple(SizeBand(row["band"], int(row["from"]), int(row["to"]) if row["to"] else None,
                          tuple(p for p in row["phrases"].split(";") if p)) for row in read_rows("size_bands.csv"))


def size_of(name: str) -> str:
    """A council's size band ('large'), or '' when the lookup has no population for it."""
    council = by_name().get(name)
    if council is None or not council.population:
        return ""
    return next((band.name for band in size_bands() if band.holds(council.population)), "")


@functools.cache
def councils_of_size(band: str) -> frozenset[str]:
    """The councils in a size band."""
    return frozenset(name for name in by_name() if size_of(name) == band)


def _loose(phrase: str) -> str:
    """A phrase as a regex whose spaces and hyphens match either ("medium sized", "medium-sized")."""
    return r"[\s-]+".join(re.escape(word) for word in re.split(r"[\s-]+", phrase))


@functools.cache
def _size_pattern() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One regex with a group per phrase (longest first, so "very large" beats "large"), and each group's band."""
    phrases = sorted(((p, b.name) for b in size_bands() for p in b.phrases), key=lambda item: -len(item[0]))
    alternatives = "|".join(f"(?P<b{i}>{_loose(p)})" for i, (p, _) in enumerate(phrases))
    return re.compile(rf"(?i)\b(?:{alternatives})\s+{_COUNCILS}"), tuple(band for _, band in phrases)


def size_named(text: str) -> str:
    """The size band a question names beside a word for councils ("the largest councils"), or ''."""
    pattern, bands = _size_pattern()
    match = pattern.search(text)
    return bands[int(match.lastgroup[1:])] if match and match.lastgroup else ""


def neighbours_named(text: str, places: list[tuple[int, int, tuple[str, ...]]]) -> str:
    """Whose statistical neighbours a question asks across: a council ("which of Reading's neighbours…",
    "neighbours of Reading rated good"), WE for "our neighbours", or ''.

    Only a question that asks which of them, or names a grade, is across them; "how does Reading compare with its
    neighbours?" is about Reading, and the neighbours table answers it.
    """
    if not _ACROSS.search(text) and not NAMED_GRADE.search(text):
        return ""
    for start, end, names in places:
        possessive = re.match(rf"(?i)(?:'s|s'|')?\s+{NEIGHBOURS}", text[end:]) and (
            re.match(r"'", text[end:]) or text[start:end].endswith(("'s", "s'")))
        of = re.search(rf"(?i){NEIGHBOURS}\s+(?:of|for)\s+(?:the\s+)?$", text[:start])
        if len(names) == 1 and (possessive or of):
            return names[0]
    named = {name for _, _, names in places if len(names) == 1 for name in names}
    if len(named) == 1 and re.search(rf"(?i)\b(?:its|their)\s+{NEIGHBOURS}", text):
        return next(iter(named))  # "Reading and its neighbours"
    return WE if re.search(rf"(?i)\b(?:our|my)\s+{NEIGHBOURS}", text) else ""


def allowed_councils(filters: Filters) -> frozenset[str] | None:
    """The councils a question's groups leave in (regions, a council's neighbours, a size band); None for all."""
    groups = []
    if filters.regions:
        groups.append(frozenset(la for region in filters.regions for la in councils_in(region)))
    if filters.neighbours_of:
        groups.append(frozenset(c.name for c in neighbours(filters.neighbours_of)))
    if filters.size:
        groups.append(councils_of_size(filters.size))
    return frozenset.intersection(*groups) if groups else None


def group_words(filters: Filters) -> str:
    """The groups in words, for a list's heading: ' among Reading's statistical neighbours, large councils'."""
    parts = [f"in {' and '.join(filters.regions)}"] if filters.regions else []
    if filters.neighbours_of:
        parts.append(f"among {filters.neighbours_of}'s statistical neighbours")
    if filters.size:
        parts.append(f"among {filters.size} councils (population aged 0–25)")
    return (" " + ", ".join(parts)) if parts else ""
