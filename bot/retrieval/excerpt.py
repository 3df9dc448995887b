"""Excerpt selection: the best sentences, widened to at most three adjacent ones, cut from the source."""

from dataclasses import dataclass, replace

from bot.answer import Excerpt
from bot.language.reports import report_type
from bot.language.sentence import LEANS_BACK
from bot.language.words import words
from bot.retrieval.ranking import Candidate

MAX_SENTENCES = 3
SHORT_WORDS = 12
MAX_SPAN_WORDS = 90


@dataclass(frozen=True)
class ChunkText:
    """Where a chunk sits in its source, so a span can be cut from it by offsets."""

    start: int
    text: str


def near_duplicate(a: set[str], b: set[str]) -> bool:
    """True when two excerpts say nearly the same thing (most words shared)."""
    if not a or not b:
        return False
    shared = len(a & b)
    return shared / len(a | b) >= 0.6 or shared / min(len(a), len(b)) >= 0.85


def _neighbours(best: Candidate, by_chunk: dict[str, list[Candidate]]) -> list[Candidate]:
    """Sentences in the same paragraph as `best`, in order."""
    return [c for c in by_chunk[best.chunk_id] if c.block == best.block and c.kind == "sentence"]


def widen(best: Candidate, by_chunk: dict[str, list[Candidate]], ratio: float) -> tuple[Candidate, Candidate]:
    """Grow a span around the best sentence while a neighbour scores nearly as well, up to three sentences."""
    if best.kind != "sentence":
        return best, best
    line = _neighbours(best, by_chunk)
    at = line.index(best)
    first = last = at
    if at > 0 and LEANS_BACK.match(best.text):
        first = at - 1
    while last - first + 1 < MAX_SENTENCES:
        options = [i for i in (first - 1, last + 1) if 0 <= i < len(line)]
        if not options:
            break
        pick = max(options, key=lambda i: line[i].score)
        span_words = sum(len(c.text.split()) for c in line[min(first, pick) : max(last, pick) + 1])
        if span_words > MAX_SPAN_WORDS:
            break  # a quote should be read at a glance
        short = len(best.text.split()) < SHORT_WORDS and last == first == at
        if line[pick].score < ratio * best.score and not short:
            break
        first, last = min(first, pick), max(last, pick)
    return line[first], line[last]


def select_excerpts(
    candidates: list[Candidate],
    chunks: dict[str, ChunkText],
    *,
    limit: int,
    per_report: int,
    floor: float,
    ratio: float = 0.75,
    spread: int = 0,
) -> list[Excerpt]:
    """Pick up to `limit` non-overlapping, non-duplicate excerpts scoring at least `floor`.

    With `spread`, the best excerpt of each of the `spread` best reports comes first, so a question
    comparing inspections hears from each of them.
    """
    by_chunk: dict[str, list[Candidate]] = {}
    for candidate in sorted(candidates, key=lambda c: (c.chunk_id, c.order)):
        by_chunk.setdefault(candidate.chunk_id, []).append(candidate)
    chosen: list[Excerpt] = []
    taken: list[set[str]] = []
    used: set[tuple[str, int]] = set()
    per: dict[str, int] = {}
    ordered = sorted(candidates, key=lambda c: -c.score)
    leaders = list({c.report.id: c for c in reversed(ordered)}.values())
    leaders = sorted(leaders, key=lambda c: -c.score)[:spread]
    led = {id(c) for c in leaders}
    for best in leaders + [c for c in ordered if id(c) not in led]:
        if len(chosen) >= limit:
            break
        if best.score < floor:
            continue
        if (best.chunk_id, best.order) in used or per.get(best.report.id, 0) >= per_report:
            continue
        first, last = widen(best, by_chunk, ratio)
        chunk = chunks[best.chunk_id]
        text = chunk.text[first.start - chunk.start : last.end - chunk.start]
        bag = words(text)
        # Rows of a judgement table share most words by design; only an identical row is a duplicate.
        if best.kind == "row" and text in {e.text for e in chosen}:
            continue
        if best.kind != "row" and any(near_duplicate(bag, other) for other in taken):
            continue
        used |= {(best.chunk_id, c.order) for c in by_chunk[best.chunk_id] if first.order <= c.order <= last.order}
        taken.append(bag)
        per[best.report.id] = per.get(best.report.id, 0) + 1
        chosen.append(Excerpt(text, best.report, best.section, best.score, first.start, last.end, best.chunk_id))
    return chosen


def over_time(candidates: list[Candidate], chunks: dict[str, ChunkText], years: tuple[int, ...],
              floor: float) -> list[Excerpt]:
    """For a question about change, the best excerpt of each report it spans, oldest first, each labelled.

    "Between 2018 and 2023" spans those years, "since 2016" that year on, and no year every report. Up to two
    more excerpts a report follow, best first, so the change can be read off the answer.
    """
    low, high = (min(years) if years else 0), (max(years) if len(years) > 1 else 9999)
    # A question about change wants findings, never how a visit was done (its preamble) or stock text.
    findings = [c for c in candidates if not (c.stock or c.preamble)] or candidates
    spanned = [c for c in findings if low <= (c.report.year or 0) <= high] or findings
    reports = len({c.report.id for c in spanned})
    chosen = select_excerpts(spanned, chunks, limit=max(6, reports), per_report=3,
                             floor=min(max(c.score for c in spanned), floor), spread=reports)
    firsts = list({e.report.id: e for e in reversed(chosen)}.values())
    ordered = sorted(firsts, key=lambda e: e.report.published) + [e for e in chosen if e not in firsts]
    return [replace(e, label=f"{e.report.year} {report_type(e.report.report_type).label}") for e in ordered]
