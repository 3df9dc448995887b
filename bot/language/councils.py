"""The English councils with children's services: the one list of their names and the other names they go by."""

import functools

from bot.datafiles import read_rows
from bot.language.words import fold_name

COUNCILS_FILE = "local_authorities.csv"


@functools.cache
def local_authorities() -> tuple[str, ...]:
    """The canonical names, as the catalogues spell them, in the file's order."""
    return tuple(row["name"] for row in read_rows(COUNCILS_FILE))


@functools.cache
def name_forms() -> dict[str, tuple[str, ...]]:
    """Each folded name or alias to the councils it names (several only for a deliberately ambiguous alias)."""
    index: dict[str, list[str]] = {}
    for row in read_rows(COUNCILS_FILE):
        for form in (row["name"], *filter(None, row["aliases"].split("|"))):
            index.setdefault(fold_name(form), []).append(row["name"])
    return {form: tuple(dict.fromkeys(names)) for form, names in index.items()}
