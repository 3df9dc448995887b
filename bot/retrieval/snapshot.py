"""One immutable view of the committed knowledge: reports, chunks, keyword index and what is derived from them.

A snapshot is built aside from what the store returns and never changed afterwards, so any number of threads
may read one while a newer one is being built. `Knowledge` swaps the new one in with a single assignment.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field

import numpy as np

from bot.answer import Filters
from bot.language.groups import allowed_councils
from bot.language.sections import HEADLINE_SECTION, IMPROVE_HEADING
from bot.language.sentence import split_sentences
from bot.report import Report
from bot.retrieval.boilerplate import signature, stock_shares
from bot.retrieval.intent import Kind
from bot.retrieval.keyword import KeywordIndex, normalise, stopwords
from bot.retrieval.query import expand_abbreviations
from bot.retrieval.ranking import GRADED_LINE
from bot.retrieval.vector_cache import VectorCache
from bot.store.chroma import Store
from bot.store.records import ChunkHit


def report_years(report: Report) -> set[int]:
    """Years a report belongs to: its publication year and the years its inspection dates name."""
    years = {report.year} if report.year else set()
    years |= {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", report.inspection_dates)}
    return years


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the bot knew at one store fingerprint. Read-only: nothing may change it once built."""

    store: Store
    vectors: VectorCache  # shared across snapshots: its entries are keyed by chunk ids, which carry digests
    fingerprint: str = ""
    reports: dict[str, Report] = field(default_factory=dict)
    years: dict[str, set[int]] = field(default_factory=dict)
    chunks: list[ChunkHit] = field(default_factory=list)
    position: dict[str, int] = field(default_factory=dict)
    index: KeywordIndex = field(default_factory=lambda: KeywordIndex([]))
    vocabulary: list[str] = field(default_factory=list)
    chunk_report: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    by_report: dict[str, list[ChunkHit]] = field(default_factory=dict)
    stock: dict[str, float] = field(default_factory=dict)
    improve_mask: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @classmethod
    def build(cls, store: Store, vectors: VectorCache, fingerprint: str, reports: dict[str, Report],
              chunks: list[ChunkHit]) -> "Snapshot":
        """Derive the index, the per-report chunk lists and the stock-text shares from what the store holds."""
        index = KeywordIndex([c.text for c in chunks])
        by_report: dict[str, list[ChunkHit]] = {}
        for chunk in sorted(chunks, key=lambda c: (c.report_id, c.start)):
            by_report.setdefault(chunk.report_id, []).append(chunk)
        kinds = {rid: r.report_type for rid, r in reports.items()}
        return cls(
            store=store, vectors=vectors, fingerprint=fingerprint, reports=reports,
            years={rid: report_years(report) for rid, report in reports.items()},
            chunks=chunks, position={chunk.id: i for i, chunk in enumerate(chunks)}, index=index,
            vocabulary=sorted(term for term in index.vocab if "_" not in term),
            chunk_report=np.array([c.report_id for c in chunks], dtype=object), by_report=by_report,
            stock=stock_shares(_prose(chunks, kinds), kinds),
            improve_mask=np.array([bool(IMPROVE_HEADING.search(c.section)) for c in chunks], dtype=bool),
        )

    def snapshot(self) -> "Snapshot":
        """Itself: a snapshot is already pinned."""
        return self

    def refresh(self, *, force: bool = False) -> bool:
        """Never changes: a snapshot is fixed."""
        return False

    def chunk(self, chunk_id: str) -> ChunkHit:
        """A committed chunk by id."""
        return self.chunks[self.position[chunk_id]]

    def stock_share(self, text: str) -> float:
        """How widely a sentence is repeated across reports (0 when it is the report's own words)."""
        return self.stock.get(signature(text), 0.0)

    @functools.cached_property
    def local_authorities(self) -> frozenset[str]:
        """Every local authority with at least one report (worked out once: the snapshot does not change)."""
        return frozenset(r.local_authority for r in self.reports.values() if r.local_authority)

    @functools.cached_property
    def rows(self) -> dict[str, np.ndarray]:
        """Each report's chunk positions, for masks without comparing every chunk's report id."""
        found: dict[str, list[int]] = {}
        for i, rid in enumerate(self.chunk_report):
            found.setdefault(rid, []).append(i)
        return {rid: np.array(at, dtype=np.int64) for rid, at in found.items()}

    def matching_reports(self, filters: Filters) -> set[str]:
        """Ids of reports that pass the filters; years count inspection years as well as publication."""
        matched = set()
        # Most questions name no group of councils; they need not look the groups up.
        allowed = allowed_councils(filters) if filters.regions or filters.neighbours_of or filters.size else None
        for rid, report in self.reports.items():
            if filters.local_authorities and report.local_authority not in filters.local_authorities:
                continue
            if allowed is not None and report.local_authority not in allowed:
                continue
            if filters.report_type and report.report_type != filters.report_type:
                continue
            years = self.years[rid]
            if filters.since and not any(y >= filters.since for y in years):
                continue
            if filters.until and not any(y <= filters.until for y in years):
                continue
            matched.add(rid)
        return matched

    def structural(self, report_ids: set[str], looks_for: Kind) -> list[str]:
        """Chunk ids where a report states what the question looks for: its judgements, what needs to improve, its
        headline."""
        found: list[str] = []
        for rid in sorted(report_ids):
            chunks = self.by_report.get(rid, [])
            if looks_for == Kind.IMPROVEMENT:
                found += [c.id for c in chunks if IMPROVE_HEADING.search(c.section)]
            elif looks_for == Kind.GRADES:
                found += [c.id for c in chunks if GRADED_LINE.search(c.text)]
            elif looks_for == Kind.OVERVIEW:
                found += [c.id for c in chunks if HEADLINE_SECTION.search(c.section)][:3]
        return found

    def unknown_terms(self, text: str) -> list[str]:
        """Words of a question that no report uses, nor anything spelt like them: a topic the reports miss."""
        unknown = []
        for word in re.findall(r"[a-z]{5,}", text.lower()):
            term = normalise(word)
            if word in stopwords() or term in self.index.vocab or self.index.size == 0 or expand_abbreviations(word):
                continue
            # A misspelling ("childen") is close to a word the reports use; a new topic ("menopause") is not.
            if not difflib.get_close_matches(term, self.vocabulary, n=1, cutoff=0.75):
                unknown.append(word)
        return unknown

    def mask(self, report_ids: set[str]) -> np.ndarray:
        """A boolean mask over chunks that belong to the given reports."""
        mask = np.zeros(len(self.chunks), dtype=bool)
        for rid in report_ids:
            if rid in self.rows:
                mask[self.rows[rid]] = True
        return mask


def _prose(chunks: list[ChunkHit], kinds: dict[str, str]):
    """(report id, kind, text) for every prose sentence held."""
    for chunk in chunks:
        for unit in split_sentences(chunk.text):
            if unit.kind == "sentence":
                yield chunk.report_id, kinds.get(chunk.report_id, ""), chunk.text[unit.start : unit.end]
