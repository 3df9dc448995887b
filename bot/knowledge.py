"""A snapshot of the committed knowledge: reports, chunks and the keyword index, rebuilt when the store changes."""

import contextlib
import ctypes
import difflib
import gc
import re
import sys
import time

import numpy as np
import structlog

from bot.answer import Filters
from bot.boilerplate import signature, stock_shares
from bot.errors import StoreUnavailable
from bot.keyword import KeywordIndex, normalise, stopwords
from bot.query import expand_abbreviations
from bot.ranking import GRADED_LINE, HEADLINE_SECTION, IMPROVE_SECTION
from bot.records import ChunkHit
from bot.region import councils_in
from bot.report import Report
from bot.sentence import split_sentences
from bot.store import Store
from bot.vector_cache import VectorCache

log = structlog.get_logger()


def report_years(report: Report) -> set[int]:
    """Years a report belongs to: its publication year and the years its inspection dates name."""
    years = {report.year} if report.year else set()
    years |= {int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", report.inspection_dates)}
    return years


def release_memory() -> None:
    """Hand freed heap back to the system after a rebuild: the store's pages and the index's token lists leave
    a few hundred MB of free but fragmented memory at national scale, which glibc keeps unless asked."""
    gc.collect()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


class Knowledge:
    """What the bot knows right now; `refresh` picks up another process's ingest."""

    def __init__(self, store: Store, *, refresh_seconds: float = 30.0) -> None:
        self.store = store
        self.vectors = VectorCache(store)
        self.refresh_seconds = refresh_seconds
        self.fingerprint = ""
        self.checked_at = 0.0
        self.reports: dict[str, Report] = {}
        self.years: dict[str, set[int]] = {}
        self.chunks: list[ChunkHit] = []
        self.position: dict[str, int] = {}
        self.index = KeywordIndex([])
        self.vocabulary: list[str] = []
        self.stock: dict[str, float] = {}
        self.improve_mask = np.zeros(0, dtype=bool)
        self.refresh(force=True)

    def refresh(self, *, force: bool = False) -> bool:
        """Rebuild from the store if it changed; checks at most every `refresh_seconds` unless forced.

        While the store is unreachable the snapshot already held is kept (it is checked again on the next
        question); with no snapshot yet, StoreUnavailable is raised.
        """
        now = time.monotonic()
        if not force and self.fingerprint and now - self.checked_at < self.refresh_seconds:
            return False
        self.checked_at = now
        try:
            fingerprint = self.store.fingerprint()
            if fingerprint == self.fingerprint:
                return False
            started = time.perf_counter()
            reports = {rid: stored.report for rid, stored in self.store.reports().items()}
            chunks = self.store.all_chunks()
        except StoreUnavailable:
            if not self.fingerprint:
                raise
            self.checked_at = 0.0
            log.warning("knowledge.unavailable", reports=len(self.reports))
            return False
        self._load(reports, chunks)
        del reports, chunks
        release_memory()
        self.fingerprint = fingerprint
        log.info("knowledge.loaded", reports=len(self.reports), chunks=len(self.chunks),
                 ms=round((time.perf_counter() - started) * 1000))
        return True

    def _load(self, reports: dict[str, Report], chunks: list[ChunkHit]) -> None:
        self.reports = reports
        self.years = {rid: report_years(report) for rid, report in reports.items()}
        self.chunks = chunks
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self.index = KeywordIndex([c.text for c in self.chunks])
        self.vocabulary = sorted(term for term in self.index.vocab if "_" not in term)
        self.chunk_report = np.array([c.report_id for c in self.chunks], dtype=object)
        self.by_report: dict[str, list[ChunkHit]] = {}
        for chunk in sorted(self.chunks, key=lambda c: (c.report_id, c.start)):
            self.by_report.setdefault(chunk.report_id, []).append(chunk)
        self.stock = stock_shares(self._prose(), {rid: r.report_type for rid, r in reports.items()})
        self.improve_mask = np.array([bool(IMPROVE_SECTION.search(c.section)) for c in self.chunks], dtype=bool)

    def _prose(self):
        """(report id, kind, text) for every prose sentence held."""
        for chunk in self.chunks:
            kind = self.reports[chunk.report_id].report_type if chunk.report_id in self.reports else ""
            for unit in split_sentences(chunk.text):
                if unit.kind == "sentence":
                    yield chunk.report_id, kind, chunk.text[unit.start : unit.end]

    def stock_share(self, text: str) -> float:
        """How widely a sentence is repeated across reports (0 when it is the report's own words)."""
        return self.stock.get(signature(text), 0.0)

    @property
    def local_authorities(self) -> set[str]:
        """Every local authority with at least one report."""
        return {r.local_authority for r in self.reports.values() if r.local_authority}

    def matching_reports(self, filters: Filters) -> set[str]:
        """Ids of reports that pass the filters; years count inspection years as well as publication."""
        matched = set()
        in_regions = {la for region in filters.regions for la in councils_in(region)}
        for rid, report in self.reports.items():
            if filters.local_authorities and report.local_authority not in filters.local_authorities:
                continue
            if filters.regions and report.local_authority not in in_regions:
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

    def structural(self, report_ids: set[str], intent: str) -> list[str]:
        """Chunk ids where a report states what the intent asks for: its judgements or what needs to improve."""
        found: list[str] = []
        for rid in sorted(report_ids):
            chunks = self.by_report.get(rid, [])
            if intent == "improvement":
                found += [c.id for c in chunks if IMPROVE_SECTION.search(c.section)]
            elif intent == "judgement":
                found += [c.id for c in chunks if GRADED_LINE.search(c.text)]
            elif intent == "overview":
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
        return np.isin(self.chunk_report, list(report_ids))
