"""The answer engine: hybrid retrieval, a learned sentence ranker and learned abstention.

Answering is two steps. `prepare` reads the question, retrieves and measures every candidate sentence; it
knows nothing of weights. `finish` scores the candidates with a ranker, decides whether the evidence supports
an answer, and cuts the excerpts. Cross-validation prepares each question once and finishes it with each
fold's ranker, so the figures it reports come from exactly the path users get.
"""

import copy
from dataclasses import replace

import numpy as np
import structlog

from bot import messages
from bot.answer import Answer, Excerpt, Filters
from bot.embedder import Embedder
from bot.retrieval.candidates import Evidence, Scoring, rare_terms, sentence_candidates
from bot.retrieval.context import question_context
from bot.retrieval.cues import asks_method, asks_ofsted, comparative, not_topic_words, preamble
from bot.retrieval.excerpt import ChunkText, over_time, select_excerpts
from bot.retrieval.features import columns, feature_matrix
from bot.retrieval.intent import IntentModel, coarse_intent, intent_features, leaning, load_intent_model
from bot.retrieval.keyword import tokenize
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.prepared import Prepared, evidence
from bot.retrieval.query import ParsedQuery, parse_query
from bot.retrieval.ranker import Ranker, load_ranker
from bot.retrieval.ranking import Candidate, weigh_terms
from bot.retrieval.reranker import Reranker, load_reranker, reranked_features
from bot.retrieval.scope import nothing_matches, question_scope
from bot.retrieval.search import CANDIDATE_CHUNKS, retrieve
from bot.retrieval.snapshot import Snapshot

log = structlog.get_logger()

# A question across councils has many reports that could answer it, so it reads more chunks.
ACROSS_CHUNKS = 24
# When a question is all cue ("Dorset 2025: how was it graded?") the intent says what to look for.
INTENT_TOPICS = {
    "judgement": "overall effectiveness judgement grade",
    "improvement": "what needs to improve",
    "overview": "headline findings",
}
# Excerpts after the first must be this likely to support an answer (the ranker's probability, which is
# calibrated: on the labelled questions about one candidate in a hundred supports one); below it they would be
# padding. A judgement table or a list of what needs to improve is read whole, so its rows need less.
EXCERPT_FLOOR = 0.02
LIST_FLOOR = 0.02
# and a tenth as likely as the best: when the best is near certain, a weak runner-up is padding beside it.
KEEP_SHARE = 0.1
# The question's rarest words, which an answer should contain; fewer chunks than this means slang or a typo.
KEY_TERMS = 2
MIN_KEY_CHUNKS = 3
# A question across councils hears first from this many different reports, each its best excerpt.
ACROSS_SPREAD = 5
# Theme summaries quote only sentences this close in meaning to the topic.
PASSAGE_DENSE_FLOOR = 0.47
# How many of a question's candidates the cross-encoder reads (chosen by measurement: see README, Answer quality).
RERANK_DEPTH = 32


class Answerer:
    """Answers questions from the knowledge base; the only state is caches and the trained models."""

    def __init__(self, knowledge: Knowledge | Snapshot, embedder: Embedder, ranker: Ranker | None = None,
                 intents: IntentModel | None = None, reranker: Reranker | None = None) -> None:
        self.knowledge = knowledge
        self.embedder = embedder
        self._ranker = ranker
        self.intents = intents or load_intent_model()
        self._reranker = reranker

    def at(self, knowledge: Knowledge | Snapshot) -> "Answerer":
        """This engine reading only the given snapshot: what one question is answered from."""
        pinned = copy.copy(self)
        pinned.knowledge = knowledge
        return pinned

    @property
    def ranker(self) -> Ranker:
        """The ranker given, or the one shipped in bot/data (read once, on first use)."""
        if self._ranker is None:
            self._ranker = load_ranker()
        return self._ranker

    @property
    def reranker(self) -> Reranker:
        """The cross-encoder given, or the one shipped in bot/data (loaded once, on first use)."""
        if self._reranker is None:
            self._reranker = load_reranker()
        return self._reranker

    def features(self, question: str, candidates: list[Candidate], context) -> tuple[np.ndarray, list[int]]:
        """Every candidate's features, with the cross-encoder's reading of the shortlist among them."""
        return reranked_features(self.reranker, self.ranker.first, question, candidates,
                                 feature_matrix(candidates, context), RERANK_DEPTH)

    def answer(self, question: str, filters: Filters | None = None, routes: dict[str, float] | None = None) -> Answer:
        """Answer one question, with optional filters that override what the question implies."""
        return self.finish(self.prepare(question, filters, routes))

    def routes(self, parsed: ParsedQuery) -> dict[str, float]:
        """How likely each kind of answer is for a question (the intent model over its frame)."""
        vector = self.embedder.embed([parsed.frame_text or parsed.text])[0]
        return self.intents.probabilities(intent_features(vector, parsed))

    def prepare(self, question: str, filters: Filters | None = None,
                routes: dict[str, float] | None = None) -> Prepared:
        """Read the question, apply early refusals, retrieve and measure every candidate sentence."""
        if not isinstance(self.knowledge, Snapshot):  # one question reads one snapshot, whatever refreshes race it
            return self.at(self.knowledge.snapshot()).prepare(question, filters, routes)
        parsed = parse_query(question)
        scope, refusal = self.scope(parsed, filters or Filters())
        if refusal:
            return Prepared(question, refusal=refusal)
        unknown = self.knowledge.unknown_terms(parsed.topic_text)
        if unknown:
            return Prepared(question, scope, refusal=messages.not_mentioned(unknown))
        report_ids = self.knowledge.matching_reports(scope)
        if scope.local_authorities and parsed.years and not comparative(parsed):
            # "Bury 2021" means the report of that year; if there is none, say so rather than quote another.
            report_ids = {rid for rid in report_ids if self.knowledge.years[rid] & set(parsed.years)}
        if not report_ids:
            return Prepared(question, scope, refusal=nothing_matches(self.knowledge, scope, parsed))
        frame = parsed.frame_text or parsed.text
        # The topic is known before the intent unless the question is all cue; then one model call does both.
        topic = parsed.topic_text if tokenize(parsed.topic_text) else ""
        texts = ([] if routes else [frame]) + ([topic] if topic else [])
        vectors = self.embedder.embed(texts) if texts else []
        routes = routes or self.intents.probabilities(intent_features(vectors[0], parsed))
        intent, lean = coarse_intent(routes), leaning(routes)
        vector = vectors[-1] if topic else self.embedder.embed([self._topic(parsed, intent)])[0]
        size = CANDIDATE_CHUNKS if scope.local_authorities else ACROSS_CHUNKS
        topic_text = self._topic(parsed, intent)
        chunk_ids, found = retrieve(self.knowledge, parsed, topic_text, intent, vector, scope, report_ids, size)
        compare = comparative(parsed) and len(report_ids) > 1
        context = question_context(self.knowledge, parsed, intent, lean, scope, compare)
        candidates = self._candidates(parsed, intent, vector, chunk_ids, found,
                                      allow_stock=asks_method(parsed.text, lean["method"]))
        chunks = {cid: ChunkText(self._chunk(cid).start, self._chunk(cid).text) for cid in chunk_ids}
        features, read = self.features(question, candidates, context)
        return Prepared(question, scope, "", intent, candidates, features, chunks,
                        self.key_terms(parsed, intent), routes.get("other", 0.0), len(scope.local_authorities) == 1,
                        compare, read, parsed.years, bool(topic))

    def finish(self, prepared: Prepared, ranker: Ranker | None = None) -> Answer:
        """Score the candidates, refuse when the evidence is too weak, and cut the excerpts."""
        if prepared.refusal:
            return Answer(False, prepared.refusal, scope=prepared.scope)
        ranker = ranker or self.ranker
        scope = prepared.scope
        probabilities = ranker.sentences.probabilities(columns(prepared.features, ranker.sentences.names))
        candidates = [replace(c, score=float(p)) for c, p in zip(prepared.candidates, probabilities, strict=True)]
        if not candidates or not ranker.answers(evidence(prepared, probabilities)):
            where = " and ".join(scope.local_authorities or scope.regions)
            reason = messages.not_found(f"the reports for {where}" if where else "the reports")
            return Answer(False, reason, scope=scope)
        if prepared.single and prepared.compare:
            excerpts = over_time(candidates, prepared.chunks, prepared.years, EXCERPT_FLOOR)
            secondary = len({e.report.id for e in excerpts if e.report.secondary})
            found = messages.found(len(excerpts), len({e.report.id for e in excerpts}), secondary)
            return Answer(True, found, excerpts, scope)
        top = max(c.score for c in candidates)
        whole = prepared.intent in ("judgement", "improvement")
        excerpts = select_excerpts(
            candidates, prepared.chunks,
            limit=6 if prepared.single else 8,
            per_report=6 if whole else 3 if prepared.single else 2,
            floor=min(top, LIST_FLOOR if whole else max(EXCERPT_FLOOR, top * KEEP_SHARE)),
            spread=3 if prepared.single and prepared.compare else 0 if scope.local_authorities else ACROSS_SPREAD,
        )
        reports = {e.report.id for e in excerpts}
        secondary = len({e.report.id for e in excerpts if e.report.secondary})
        return Answer(True, messages.found(len(excerpts), len(reports), secondary), excerpts, scope)

    @staticmethod
    def _topic(parsed: ParsedQuery, intent: str) -> str:
        """What to search for: the topic without the places, years and cues that filters and intent handle."""
        if tokenize(parsed.topic_text):
            return parsed.topic_text
        return INTENT_TOPICS.get(intent, parsed.search_text)

    def passages(self, topic: str, filters: Filters | None = None, *, per_report: int = 2, limit: int = 80,
                 chunks: int = 60) -> list[Excerpt]:
        """Many excerpts on a topic across reports, best first, with no abstention: material for summaries.

        Only sentences close in meaning to the topic are kept, so a theme summary quotes what is about the
        theme and nothing loosely related.
        """
        if not isinstance(self.knowledge, Snapshot):
            return self.at(self.knowledge.snapshot()).passages(topic, filters, per_report=per_report, limit=limit,
                                                               chunks=chunks)
        parsed = parse_query(topic)
        scope, refusal = self.scope(parsed, filters or Filters())
        report_ids = self.knowledge.matching_reports(scope) if not refusal else set()
        if not report_ids:
            return []
        vector = self.embedder.embed([self._topic(parsed, "general")])[0]
        chunk_ids, found = retrieve(self.knowledge, parsed, self._topic(parsed, "general"), "general", vector, scope,
                                    report_ids, chunks)
        candidates = self._candidates(parsed, "general", vector, chunk_ids, found, allow_stock=False)
        context = question_context(self.knowledge, parsed, "general", {}, scope, False)
        features = self.features(topic, candidates, context)[0]
        scores = self.ranker.sentences.probabilities(columns(features, self.ranker.sentences.names))
        candidates = [replace(c, score=float(p)) for c, p in zip(candidates, scores, strict=True)
                      if c.dense >= PASSAGE_DENSE_FLOOR]
        return select_excerpts(
            candidates, {cid: ChunkText(self._chunk(cid).start, self._chunk(cid).text) for cid in chunk_ids},
            limit=limit, per_report=per_report, floor=0.0,
        )

    def key_terms(self, parsed: ParsedQuery, intent: str = "general") -> tuple[str, ...]:
        """The topic's KEY_TERMS rarest words (abbreviations expanded), which an answer on that topic would use."""
        index = self.knowledge.index
        # Words that name the report or the time ("FV", "SIF", "Jan") and words hardly any report uses (slang,
        # typos) say nothing about the topic.
        terms = {t for t in tokenize(self._topic(parsed, intent))
                 if t not in not_topic_words() and index.frequency(t) >= MIN_KEY_CHUNKS}
        return tuple(sorted(terms, key=lambda t: (-index.idf(t), t))[:KEY_TERMS])

    def scope(self, parsed: ParsedQuery, given: Filters) -> tuple[Filters, str]:
        """Work out the filters from the question and the caller; or a reason to refuse at once."""
        return question_scope(self.knowledge, parsed, given)

    def _chunk(self, chunk_id: str):
        return self.knowledge.chunk(chunk_id)

    def _candidates(self, parsed: ParsedQuery, intent: str, vector: np.ndarray, chunk_ids: list[str],
                    found: dict[str, Evidence], *, allow_stock: bool) -> list[Candidate]:
        """Every usable sentence of the candidate chunks, measured; stock text only for a method question."""
        topic = self._topic(parsed, intent)
        for expansion in parsed.expansions:
            topic = topic.replace(expansion, " ")
        query = tokenize(topic)
        index = self.knowledge.index
        words, pairs = rare_terms(query, index.size, index.frequency)
        weights = weigh_terms(query, [tokenize(e) for e in parsed.expansions], index.idf)
        scoring = Scoring(weights, query, words, pairs, CANDIDATE_CHUNKS)
        chunks = [self._chunk(c) for c in chunk_ids]
        vectors = self.knowledge.vectors.sentence_vectors(chunks)
        out: list[Candidate] = []
        for chunk in chunks:
            report = self.knowledge.reports[chunk.report_id]
            held = self.knowledge.by_report[chunk.report_id]
            out += sentence_candidates(chunk, report, vectors.get(chunk.id), vector, found[chunk.id], scoring,
                                       held[-1].end, self.knowledge.stock_share, preamble(report, held, chunk))
        primary = asks_ofsted(parsed.text)
        return [c for c in out if (allow_stock or not (c.stock or c.preamble)) and not (primary and c.report.secondary)]
