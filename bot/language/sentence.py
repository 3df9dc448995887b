"""Sentence units with offsets: the smallest pieces an excerpt is built from."""

import functools
import re
from dataclasses import dataclass

# A sentence ends at . ! ? (after any closing quote or bracket) before a space and a capital, digit or quote.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)\]]*\s+(?=[A-Z0-9‘“\"(£])")
# Abbreviations whose full stop does not end a sentence.
_NO_BREAK = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|No|vs|cf|approx|para|paras)\.|\b[A-Z]\.)$")
_LINE_PREFIX = re.compile(r"^(?:[-*•◼▪]\s+|\d{1,3}\.\s+(?=\S)|#{1,6}\s+)")
_BOLD_LINE = re.compile(r"^\*\*([^*]+)\*\*$")


@dataclass(frozen=True)
class Sentence:
    """A sentence, bullet item or table row, with offsets into the text it was split from."""

    start: int
    end: int
    block: int
    kind: str  # "sentence", "item" (a bullet), "row" (a table row) or "heading"


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences; each line is its own block, and bullets and table rows are single units."""
    return list(_split(text))


# The same chunks are split again for every question that reaches them; a chunk's text is the cache key.
@functools.lru_cache(maxsize=20_000)
def _split(text: str) -> tuple[Sentence, ...]:
    units: list[Sentence] = []
    offset = 0
    for block, line in enumerate(text.split("\n")):
        line_start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not re.search(r"[A-Za-z]{2,}", stripped) or re.fullmatch(r"\|?[\s|:-]+\|?", stripped):
            continue
        lead = len(line) - len(line.lstrip())
        if stripped.startswith("|"):
            units.append(Sentence(line_start + lead, line_start + lead + len(stripped), block, "row"))
            continue
        bold = _BOLD_LINE.match(stripped)
        if bold:  # a wholly bold line is a heading; the markers are not part of the words
            units.append(Sentence(line_start + lead + 2, line_start + lead + 2 + len(bold.group(1)), block, "heading"))
            continue
        prefix = _LINE_PREFIX.match(stripped)
        marker = prefix.group(0)[0] if prefix else ""
        kind = "heading" if marker == "#" else "item" if marker and not marker.isdigit() else "sentence"
        body_start = line_start + lead + (prefix.end() if prefix else 0)
        body = text[body_start : line_start + len(line.rstrip())]
        spans = [(0, len(body.rstrip()))] if kind == "heading" else _spans(body)
        units += [Sentence(body_start + s, body_start + e, block, kind) for s, e in spans]
    return tuple(units)


def _spans(body: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _BOUNDARY.finditer(body):
        if _NO_BREAK.search(body[start : match.start()]):
            continue
        end = match.start() + len(match.group(0).rstrip())
        spans.append((start, end))
        start = match.end()
    if body[start:].strip():
        spans.append((start, len(body.rstrip())))
    return spans


# A sentence opening like this leans on the one before it: an excerpt takes that sentence too, and a briefing,
# which quotes sentences alone, leaves it out.
LEANS_BACK = re.compile(r"^(This|These|That|Those|They|It|Its|Their|He|She|However|As a result|Consequently|"
                        r"Despite this|In addition|Such|Here|There,|Similarly|Equally|Nevertheless|Therefore)\b")
