"""The answer engine: hybrid retrieval, sentence-level reranking and honest abstention."""

import re
import time

import numpy as np
import structlog

from bot import messages
from bot.answer import Answer, Excerpt, Filters
from bot.embedder import Embedder
from bot.excerpt import ChunkText, select_excerpts
from bot.keyword import tokenize
from bot.knowledge import Knowledge, opening
from bot.polarity import question_polarity, sentence_polarity
from bot.query import ParsedQuery, other_council, parse_query
from bot.ranking import (
    GRADE_WORDS,
    Candidate,
    Context,
    asked_grades,
    judgement_areas,
    lexical_score,
    reciprocal_rank_fusion,
    score,
    weigh_terms,
)
from bot.report import REPORT_TYPES, TYPE_LABELS
from bot.sentence import split_sentences
from bot.vector_cache import EXACT_SCOPE_CHUNKS

log = structlog.get_logger()

DENSE_K = 40
KEYWORD_K = 40
CANDIDATE_CHUNKS = 12
MIN_WORDS = 4
# When a question is all cue ("Dorset 2025: how was it graded?") the intent says what to look for.
INTENT_TOPICS = {
    "judgement": "overall effectiveness judgement grade",
    "improvement": "what needs to improve",
    "overview": "headline findings",
}
# Below this a best excerpt is only loosely related: the bot says it does not know instead.
ABSTAIN_BELOW = 0.40
# Nothing in the reports is even close in meaning: the question is about something else. Calibrated on the
# development questions: answerable ones reach 0.54 or more without a local authority, off-topic ones 0.41 at most.
DENSE_FLOOR = 0.47
DENSE_FLOOR_SCOPED = 0.30
# Excerpts after the first must score a good share of it; the rest would be padding.
KEEP_RATIO = 0.6


class Answerer:
    """Answers questions from the knowledge base; the only state is caches."""

    def __init__(self, knowledge: Knowledge, embedder: Embedder) -> None:
        self.knowledge = knowledge
        self.embedder = embedder

    def answer(self, question: str, filters: Filters | None = None) -> Answer:
        """Answer one question, with optional filters that override what the question implies."""
        self.knowledge.refresh()
        parsed = parse_query(question)
        scope, refusal = self._scope(parsed, filters or Filters())
        if refusal:
            return Answer(False, refusal)
        unknown = self.knowledge.unknown_terms(parsed.topic_text)
        if unknown:
            return Answer(False, messages.not_mentioned(unknown), scope=scope)
        report_ids = self.knowledge.matching_reports(scope)
        if scope.local_authorities and parsed.years and not comparative(parsed):
            # "Bury 2021" means the report of that year; if there is none, say so rather than quote another.
            report_ids = {rid for rid in report_ids if self.knowledge.years[rid] & set(parsed.years)}
        if not report_ids:
            return Answer(False, self._nothing_matches(scope, parsed), scope=scope)
        query_vector = self.embedder.embed([self._topic(parsed)])[0]
        chunk_ids = self._retrieve(parsed, query_vector, scope, report_ids)
        compare = comparative(parsed) and len(report_ids) > 1
        candidates = self._candidates(parsed, query_vector, chunk_ids, scope, compare)
        closest = max((c.dense for c in candidates), default=0.0)
        dense_floor = DENSE_FLOOR_SCOPED if scope.local_authorities else DENSE_FLOOR
        if scope.local_authorities and parsed.intent != "general":
            dense_floor = 0.0  # the judgement table or the improvement list of that LA is the answer
        if not candidates or max(c.score for c in candidates) < ABSTAIN_BELOW or closest < dense_floor:
            where = " and ".join(scope.local_authorities) or "the reports"
            where = f"the reports for {where}" if scope.local_authorities else where
            return Answer(False, messages.not_found(where), scope=scope)
        top = max(c.score for c in candidates)
        single = len(scope.local_authorities) == 1
        per_report = 3 if single else 2
        if parsed.intent in ("judgement", "improvement"):
            per_report = 6  # a judgement table, or a list of what needs to improve, is read whole
        excerpts = select_excerpts(
            candidates,
            {cid: ChunkText(self._chunk(cid).start, self._chunk(cid).text) for cid in chunk_ids},
            limit=6 if single else 8,
            per_report=per_report,
            # A judgement table is short and read as a whole, so its rows are not cut by the ratio.
            floor=ABSTAIN_BELOW if parsed.intent == "judgement" else max(ABSTAIN_BELOW, top * KEEP_RATIO),
            spread=3 if single and compare else 0,
        )
        reports = {e.report.id for e in excerpts}
        secondary = len({e.report.id for e in excerpts if e.report.secondary})
        return Answer(True, messages.found(len(excerpts), len(reports), secondary), excerpts, scope)

    @staticmethod
    def _topic(parsed: ParsedQuery) -> str:
        """What to search for: the topic without the places, years and cues that filters and intent handle."""
        if tokenize(parsed.topic_text):
            return parsed.topic_text
        return INTENT_TOPICS.get(parsed.intent, parsed.search_text)

    def passages(self, topic: str, filters: Filters | None = None, *, per_report: int = 2, limit: int = 80,
                 chunks: int = 60) -> list[Excerpt]:
        """Many excerpts on a topic across reports, best first, with no abstention: material for summaries.

        Only sentences close in meaning to the topic are kept (the same floors as answers use), so a theme
        summary quotes what is about the theme and nothing loosely related.
        """
        self.knowledge.refresh()
        parsed = parse_query(topic)
        scope, refusal = self._scope(parsed, filters or Filters())
        if refusal:
            return []
        report_ids = self.knowledge.matching_reports(scope)
        if not report_ids:
            return []
        vector = self.embedder.embed([self._topic(parsed)])[0]
        chunk_ids = self._retrieve(parsed, vector, scope, report_ids, chunks)
        candidates = [c for c in self._candidates(parsed, vector, chunk_ids, scope) if c.dense >= DENSE_FLOOR]
        return select_excerpts(
            candidates,
            {cid: ChunkText(self._chunk(cid).start, self._chunk(cid).text) for cid in chunk_ids},
            limit=limit,
            per_report=per_report,
            floor=ABSTAIN_BELOW,
        )

    def _scope(self, parsed: ParsedQuery, given: Filters) -> tuple[Filters, str]:
        """Work out the filters from the question and the caller; or a reason to refuse at once."""
        known = self.knowledge.local_authorities
        named = list(given.local_authorities)
        if named:
            named = [la for name in named for la in (parse_query(name).local_authorities or (name,))]
        else:
            named = list(parsed.local_authorities)
        present = [la for la in named if la in known]
        if named and not present:
            return Filters(), messages.no_reports_for(named, len(known))
        if not named and parsed.other_places:
            place = other_council(parsed.other_places[0])
            return Filters(), messages.outside_england(parsed.other_places[0], place["nation"], place["inspectorate"])
        report_type = given.report_type or parsed.report_type
        if report_type and report_type not in REPORT_TYPES:
            return Filters(), messages.unsupported_type(report_type)
        if comparative(parsed) and not given.report_type:
            report_type = None  # "since the focused visit" compares it with what came after
        return Filters(tuple(present), given.since or parsed.since, given.until or parsed.until, report_type), ""

    def _nothing_matches(self, scope: Filters, parsed: ParsedQuery) -> str:
        if not scope.local_authorities:
            return messages.not_found("the reports")
        have = sorted(
            (r for r in self.knowledge.reports.values() if r.local_authority in scope.local_authorities),
            key=lambda r: r.published,
        )
        listing = [f"{TYPE_LABELS.get(r.report_type, r.report_type)} ({r.published})" for r in have]
        years = [y for y in (scope.since, scope.until) if y] or list(parsed.years)
        return messages.nothing_matches(list(scope.local_authorities), scope.report_type, years, listing)

    def _chunk(self, chunk_id: str):
        return self.knowledge.chunks[self.knowledge.position[chunk_id]]

    def _retrieve(
        self, parsed: ParsedQuery, vector: np.ndarray, scope: Filters, report_ids: set[str],
        size: int = CANDIDATE_CHUNKS,
    ) -> list[str]:
        """Dense search over chunks and sentences, and keyword search, fused by reciprocal rank."""
        committed = self.knowledge.position
        depth = max(DENSE_K, size * 3)
        by_report = self.knowledge.by_report
        if scope and sum(len(by_report.get(rid, ())) for rid in report_ids) <= EXACT_SCOPE_CHUNKS:
            dense, sentence_hits = self.knowledge.vectors.nearest(by_report, report_ids, vector, depth)
        else:
            where = {"report_id": {"$in": sorted(report_ids)}} if scope else None
            dense = [h.id for h in self.knowledge.store.query(vector.tolist(), depth, where) if h.id in committed]
            sentence_hits = self.knowledge.store.query_sentences(vector.tolist(), depth, where)
        by_sentence = list(dict.fromkeys(cid for cid, _, _ in sentence_hits if cid in committed))
        mask = self.knowledge.mask(report_ids) if scope else None
        hits = self.knowledge.index.search(self._topic(parsed), max(KEYWORD_K, size * 3), mask)
        keyword = [self.knowledge.chunks[h.index].id for h in hits]
        fused = reciprocal_rank_fusion([dense, by_sentence, keyword])
        ranked = sorted(fused, key=lambda cid: -fused[cid])[:size]
        # Some answers live in a known place: the judgement table, the "what needs to improve" list.
        in_focus = {self._chunk(cid).report_id for cid in ranked[:4]} if len(report_ids) > 3 else report_ids
        extra = self.knowledge.structural(in_focus, parsed.intent)
        if parsed.intent == "improvement" and len(report_ids) > 3:
            # "Which councils were told to improve X?": X among every report's list of what needs to improve.
            lists = mask & self.knowledge.improve_mask if mask is not None else self.knowledge.improve_mask
            hits = self.knowledge.index.search(self._topic(parsed), 8, lists)
            extra += [self.knowledge.chunks[h.index].id for h in hits]
        return ranked + [cid for cid in dict.fromkeys(extra) if cid not in ranked]

    def _candidates(
        self, parsed: ParsedQuery, vector: np.ndarray, chunk_ids: list[str], scope: Filters, compare: bool = False
    ) -> list[Candidate]:
        """Every sentence of the candidate chunks, scored."""
        topic = self._topic(parsed)
        for expansion in parsed.expansions:
            topic = topic.replace(expansion, " ")
        query = tokenize(topic)
        weights = weigh_terms(query, [tokenize(e) for e in parsed.expansions], self.knowledge.index.idf)
        context = self._context(parsed, scope, compare)
        vectors = self.knowledge.vectors.sentence_vectors([self._chunk(c) for c in chunk_ids])
        out: list[Candidate] = []
        for rank, cid in enumerate(chunk_ids):
            chunk = self._chunk(cid)
            report = self.knowledge.reports[chunk.report_id]
            sentences = split_sentences(chunk.text)
            stored = vectors.get(cid)
            if not sentences or stored is None or len(stored) != len(sentences):
                continue  # written by another version of the splitter; the next ingest rewrites it
            dense = stored @ vector
            prior = max(0.0, 1.0 - rank / CANDIDATE_CHUNKS)
            for order, (sentence, similarity) in enumerate(zip(sentences, dense, strict=True)):
                text = chunk.text[sentence.start : sentence.end]
                if sentence.kind == "heading" and not GRADE_WORDS.search(text):
                    continue  # a heading names a topic; only a graded one is itself a finding
                if fragment(text, sentence.kind):
                    continue  # an address line or a fragment, such as "Town Hall"
                lexical = lexical_score(weights, query, tokenize(text))
                candidate = Candidate(
                    cid, report, chunk.section, chunk.start + sentence.start, chunk.start + sentence.end, text,
                    sentence.kind, sentence.block, order, float(similarity), lexical, prior,
                    boilerplate=opening(text) in self.knowledge.boilerplate,
                    polarity=sentence_polarity(text),
                )
                out.append(score(candidate, context))
        return out

    def _context(self, parsed: ParsedQuery, scope: Filters, compare: bool) -> Context:
        latest: dict[str, str] = {}
        for report in sorted(self.knowledge.reports.values(), key=lambda r: r.published):
            if not report.secondary:
                latest[report.local_authority] = report.id
        return Context(
            intent=parsed.intent,
            polarity=question_polarity(parsed.text) if parsed.intent != "improvement" else "concern",
            comparative=compare,
            areas=judgement_areas(parsed.text) if parsed.intent == "judgement" else (),
            grades=asked_grades(parsed.text) if parsed.intent == "judgement" else (),
            asks_focus=bool(re.search(r"\b(look(ed)? at|focus|about what)\b", parsed.text, re.IGNORECASE)),
            single_la=len(scope.local_authorities) == 1,
            past=parsed.past,
            years=parsed.years,
            latest_by_la=latest,
            report_years=self.knowledge.years,
        )


def fragment(text: str, kind: str) -> bool:
    """True for letterhead and address lines: too short, or short and unpunctuated, to be a finding."""
    if kind not in ("sentence", "item"):
        return False
    words = len(text.split())
    return words < MIN_WORDS or (words < 10 and not text.rstrip().endswith((".", "!", "?", ":", ";", "”", '"', ")")))


_COMPARE = re.compile(
    r"\b(compare|comparison|since|between|progress|better|worse|improved|improving|deteriorat|sorted|held up|"
    r"changed|change since|still|any more|anymore|after the|before the|moved on|now)\b",
    re.IGNORECASE,
)


def comparative(parsed: ParsedQuery) -> bool:
    """True when a question compares reports over time rather than asking about one."""
    return len(parsed.years) > 1 or (parsed.latest and bool(parsed.years)) or (
        parsed.past and bool(_COMPARE.search(parsed.text))
    )


def timed_answer(answerer: Answerer, question: str, filters: Filters | None = None) -> tuple[Answer, float]:
    """Answer and measure how long it took, in milliseconds."""
    started = time.perf_counter()
    answer = answerer.answer(question, filters)
    return answer, (time.perf_counter() - started) * 1000
