"""Words as every stage compares them: apostrophes made one, names folded, and the word sets of the eval README."""

import re

# One for one, so offsets into the text stay valid after translating.
APOSTROPHES = str.maketrans({"‘": "'", "’": "'", "`": "'"})
QUOTE_MARKS = str.maketrans({c: "'" for c in "‘’‚‛"} | {c: '"' for c in "“”„‟"})
_WORD = re.compile(r"[^\W_]+")
_NAME_WORDS = {"&": "and", "+": "and", "saint": "st", "upon": "on"}


def words(text: str) -> set[str]:
    """Lowercase alphanumeric tokens of three or more characters, as a set (the eval README's words)."""
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3}


def fold_name(text: str) -> str:
    """A name as lowercase words, so that spellings of one council compare equal ("St Helens", "Saint Helens")."""
    found = re.findall(r"[^\W_]+|[&+]", text.lower().translate(APOSTROPHES).replace("'", ""))
    return " ".join(_NAME_WORDS.get(w, w) for w in found)
