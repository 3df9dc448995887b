"""The data files bundled in `bot/data`: one loader, read through importlib.resources so an installed wheel works."""

import csv
import functools
import json
from importlib import resources


def read_text(name: str) -> str:
    """The text of one bundled data file."""
    return resources.files("bot").joinpath("data", name).read_text(encoding="utf-8")


@functools.cache
def read_rows(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a bundled CSV file, each value stripped (an empty cell is '')."""
    rows = csv.DictReader(read_text(name).splitlines())
    return tuple({key: (value or "").strip() for key, value in row.items()} for row in rows)


@functools.cache
def read_lines(name: str) -> tuple[str, ...]:
    """The non-blank lines of a bundled text file, without `#` comment lines."""
    lines = (line.strip() for line in read_text(name).splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def read_json(name: str):
    """A bundled JSON file, parsed."""
    return json.loads(read_text(name))


def read_bytes(name: str) -> bytes:
    """The bytes of one bundled binary file (a model's weights)."""
    return resources.files("bot").joinpath("data", name).read_bytes()
