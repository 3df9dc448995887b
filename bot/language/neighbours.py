"""Councils' statistical neighbours, codes, regions and populations, from the DfE's lookup (`la_lookup.csv`)."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot.datafiles import read_rows
from bot.language.councils import name_forms
from bot.language.words import fold_name

LOOKUP_FILE = "la_lookup.csv"
# The ONS recoded Barnsley and Sheffield in 2023; the lookup's neighbour column by ONS code still has the old codes.
# The bot reads neighbours by DfE code, so only a check against that column needs this.
ONS_RECODED = {"E08000016": "E08000038", "E08000019": "E08000039"}


@dataclass(frozen=True)
class Council:
    """One council's row of the lookup: its name as the bot knows it, codes, neighbours, region and population."""

    name: str  # the catalogue's name, or the lookup's for a council that no longer exists
    known: bool  # whether it is one of the councils in local_authorities.csv
    urn: str
    la_code: str
    ons_code: str
    neighbour_codes: tuple[str, ...]  # DfE la_codes, closest first
    region: str
    population: int  # aged 0–25 (ONS)


def _joined(row: dict) -> tuple[str, bool]:
    """The bot's name for a lookup row, by its ONS, Ofsted or upper-tier name, or the ONS name when none joins."""
    forms = name_forms()
    for candidate in (row["local_authority_ons_name"], row["ofsted_ilacs_scrape_la_name"], row["utla23nm"],
                      *row["also_known_as"].split(",")):
        names = forms.get(fold_name(candidate), ()) if candidate.strip() else ()
        if len(names) == 1:
            return names[0], True
    return row["local_authority_ons_name"], False


@functools.cache
def councils() -> dict[str, Council]:
    """Every council in the lookup, by DfE la_code."""
    found = {}
    for row in read_rows(LOOKUP_FILE):
        name, known = _joined(row)
        codes = tuple(code.strip() for code in row["stat_neighbours"].split(",") if code.strip())
        population = row["ons_population_0-25"].strip()
        found[row["la_code"]] = Council(name, known, row["urn"], row["la_code"], row["la_code_new"], codes,
                                        row["region_name"],
                                        int(population) if population.isdigit() else 0)
    return found


@functools.cache
def by_name() -> dict[str, Council]:
    """Every known council's row, by the catalogue's name; of two rows for one council (Bournemouth, Christchurch
    and Poole has its old Poole code's row too), the one that lists neighbours."""
    found: dict[str, Council] = {}
    for council in councils().values():
        if council.known and (council.name not in found or council.neighbour_codes):
            found[council.name] = council
    return found


def neighbours(name: str) -> tuple[Council, ...]:
    """A council's ten statistical neighbours, closest first (none when the lookup lists none or lacks it)."""
    council = by_name().get(name)
    if council is None:
        return ()
    table = councils()
    return tuple(table[code] for code in council.neighbour_codes if code in table)
