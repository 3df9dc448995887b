"""Strength or concern: how inspectors' sentences, and the questions about them, lean.

Inspection prose is formulaic: concerns are carried by "not", "too many", "delay", "inconsistent" and
the like, strengths by "effective", "strong", "timely". The cue lists are data files; a sentence leans
to whichever side has more cues, concerns breaking ties because "are not effective" also says "effective".
"""

import csv
import functools
import re
from pathlib import Path

_DATA = Path(__file__).parent / "data"
STRENGTH, CONCERN, NEUTRAL = "strength", "concern", "neutral"


@functools.cache
def _cues(name: str) -> list[tuple[re.Pattern[str], str]]:
    with (_DATA / name).open(encoding="utf-8", newline="") as handle:
        return [(re.compile(row["pattern"], re.IGNORECASE), row["polarity"]) for row in csv.DictReader(handle)]


def _lean(text: str, name: str) -> str:
    counts = {STRENGTH: 0, CONCERN: 0}
    for pattern, polarity in _cues(name):
        counts[polarity] += len(pattern.findall(text))
    if counts[CONCERN] and counts[CONCERN] >= counts[STRENGTH] / 2:
        return CONCERN
    return STRENGTH if counts[STRENGTH] else NEUTRAL


def sentence_polarity(text: str) -> str:
    """Whether an inspector's sentence states a strength, a concern, or neither."""
    return _lean(text, "polarity.csv")


def question_polarity(text: str) -> str:
    """Whether a question asks about problems, about good practice, or about either."""
    lean = _lean(text, "question_polarity.csv")
    return lean
