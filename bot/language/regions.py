"""The nine English regions: which councils each holds, and where a question names one.

`bot/data/regions.csv` maps every council to its ONS region (source and notes in `bot/data/regions.md`);
`region_aliases.csv` lists the ways staff write a region's name.
"""

import functools
import re

from bot.datafiles import read_rows

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
