"""The answer engine: hybrid retrieval, a learned sentence ranker and learned abstention.

Answering is two steps. `prepare` reads the question, retrieves and measures every candidate sentence; it
knows nothing of weights. `finish` scores the candidates with a ranker, decides whether the evidence supports
an answer, and cuts the excerpts. Cross-validation prepares each question once and finishes it with each
fold's ranker, so the figures it reports come from exactly the path users get.
"""

from dataclasses import replace

import numpy as np
import structlog

from bot import messages
from bot.answer import Answer, Excerpt, Filters
from bot.retrieval.candidates import Evidence, Scoring, preamble, rare_terms, sentence_candidates
from bot.retrieval.context import question_context
from bot.retrieval.excerpt import ChunkText, over_time, select_excerpts
from bot.retrieval.features import columns, feature_matrix
from bot.retrieval.intent import Kind
from bot.retrieval.keyword import tokenize
from bot.retrieval.prepared import Prepared, evidence
from bot.retrieval.question import Question, Reader
from bot.retrieval.ranker import Ranker, load_ranker
from bot.retrieval.ranking import Candidate, weigh_terms
from bot.retrieval.reranker import Reranker, load_reranker, reranked_features
from bot.retrieval.scope import nothing_matches
from bot.retrieval.search import CANDIDATE_CHUNKS, retrieve

log = structlog.get_logger()

# A question across councils has many reports that could answer it, so it reads more chunks.
ACROSS_CHUNKS = 24
# Excerpts after the first must be this likely to support an answer (the ranker's probability, which is
# calibrated: on the labelled questions about one candidate in a hundred supports one); below it they would be
# padding. A judgement table or a list of what needs to improve is read whole, so its rows need less.
EXCERPT_FLOOR = 0.02
LIST_FLOOR = 0.02
# and a tenth as likely as the best: when the best is near certain, a weak runner-up is padding beside it.
KEEP_SHARE = 0.1
# A question across councils hears first from this many different reports, each its best excerpt.
ACROSS_SPREAD = 5
# Theme summaries quote only sentences this close in meaning to the topic.
PASSAGE_DENSE_FLOOR = 0.47
# How many of a question's candidates the cross-encoder reads (chosen by measurement: see README, Answer quality).
RERANK_DEPTH = 32


class Answerer:
    """Answers a question with quotes; the only state is the trained models, read once."""

    def __init__(self, reader: Reader, ranker: Ranker | None = None, reranker: Reranker | None = None) -> None:
        self.reader = reader  # reads questions for `ask`; answering itself reads only the Question
        self._ranker = ranker
        self._reranker = reranker

    @property
    def knowledge(self):
        """The knowledge questions are read against."""
        return self.reader.knowledge

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

    def question(self, text: str, given: Filters | None = None, **options) -> Question:
        """Read a question with this answerer's reader (the same surface as the router and the memo)."""
        return self.reader.question(text, given, **options)

    def ask(self, text: str, filters: Filters | None = None) -> Answer:
        """Read a question and answer it with quotes: the quotes path alone, for tests and `eval --quotes-only`."""
        return self.answer(self.question(text, filters))

    def features(self, question: str, candidates: list[Candidate], context) -> tuple[np.ndarray, list[int]]:
        """Every candidate's features, with the cross-encoder's reading of the shortlist among them."""
        return reranked_features(self.reranker, self.ranker.first, question, candidates,
                                 feature_matrix(candidates, context), RERANK_DEPTH)

    def answer(self, question: Question) -> Answer:
        """Answer one question with quotes, or say why not."""
        return self.finish(self.prepare(question))

    def prepare(self, question: Question) -> Prepared:
        """Apply early refusals, retrieve and measure every candidate sentence of the question."""
        text, parsed, scope, knowledge = question.text, question.parsed, question.scope, question.snapshot
        if question.refusal:
            return Prepared(text, refusal=question.refusal)
        unknown = knowledge.unknown_terms(parsed.topic_text)
        if unknown:
            return Prepared(text, scope, refusal=messages.not_mentioned(unknown))
        report_ids = knowledge.matching_reports(scope)
        if scope.local_authorities and parsed.years and not question.comparative:
            # "Bury 2021" means the report of that year; if there is none, say so rather than quote another.
            report_ids = {rid for rid in report_ids if knowledge.years[rid] & set(parsed.years)}
        if not report_ids:
            return Prepared(text, scope, refusal=nothing_matches(knowledge, scope, parsed))
        looks_for = question.looks_for
        size = CANDIDATE_CHUNKS if scope.local_authorities else ACROSS_CHUNKS
        chunk_ids, found = retrieve(knowledge, parsed, question.topic, looks_for, question.topic_vector, scope,
                                    report_ids, size, question.comparative)
        compare = question.comparative and len(report_ids) > 1
        context = question_context(knowledge, parsed, looks_for, question.lean, scope, compare)
        candidates = self._candidates(question, chunk_ids, found, allow_stock=question.asks_method)
        chunks = {cid: ChunkText(knowledge.chunk(cid).start, knowledge.chunk(cid).text) for cid in chunk_ids}
        features, read = self.features(text, candidates, context)
        return Prepared(text, scope, "", looks_for, candidates, features, chunks, question.key_terms,
                        question.routes.get(Kind.OTHER, 0.0), len(scope.local_authorities) == 1, compare, read,
                        parsed.years, bool(tokenize(parsed.topic_text)))

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
        whole = prepared.looks_for in (Kind.GRADES, Kind.IMPROVEMENT)
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

    def passages(self, question: Question, *, per_report: int = 2, limit: int = 80, chunks: int = 60) -> list[Excerpt]:
        """Many excerpts on a topic across reports, best first, with no abstention: material for summaries.

        Only sentences close in meaning to the topic are kept, so a theme summary quotes what is about the
        theme and nothing loosely related.
        """
        knowledge, parsed, scope = question.snapshot, question.parsed, question.scope
        report_ids = knowledge.matching_reports(scope) if not question.refusal else set()
        if not report_ids:
            return []
        chunk_ids, found = retrieve(knowledge, parsed, question.topic, Kind.QUOTES, question.topic_vector, scope,
                                    report_ids, chunks, question.comparative)
        candidates = self._candidates(question, chunk_ids, found, allow_stock=False)
        context = question_context(knowledge, parsed, Kind.QUOTES, {}, scope, False)
        features = self.features(question.text, candidates, context)[0]
        scores = self.ranker.sentences.probabilities(columns(features, self.ranker.sentences.names))
        candidates = [replace(c, score=float(p)) for c, p in zip(candidates, scores, strict=True)
                      if c.dense >= PASSAGE_DENSE_FLOOR]
        return select_excerpts(
            candidates, {cid: ChunkText(knowledge.chunk(cid).start, knowledge.chunk(cid).text) for cid in chunk_ids},
            limit=limit, per_report=per_report, floor=0.0,
        )

    @staticmethod
    def _candidates(question: Question, chunk_ids: list[str], found: dict[str, Evidence], *,
                    allow_stock: bool) -> list[Candidate]:
        """Every usable sentence of the candidate chunks, measured; stock text only for a method question."""
        knowledge, parsed = question.snapshot, question.parsed
        topic = question.topic
        for expansion in parsed.expansions:
            topic = topic.replace(expansion, " ")
        query = tokenize(topic)
        index = knowledge.index
        words, pairs = rare_terms(query, index.size, index.frequency)
        expansions = [tokenize(e) for e in parsed.expansions]
        idf = {term: index.idf(term) for term in {*query, *(t for tokens in expansions for t in tokens)}}
        weights = weigh_terms(query, expansions, idf)
        scoring = Scoring(weights, query, words, pairs, CANDIDATE_CHUNKS)
        chunks = [knowledge.chunk(c) for c in chunk_ids]
        vectors = knowledge.vectors.sentence_vectors(chunks)
        out: list[Candidate] = []
        for chunk in chunks:
            report = knowledge.reports[chunk.report_id]
            held = knowledge.by_report[chunk.report_id]
            out += sentence_candidates(chunk, report, vectors.get(chunk.id), question.topic_vector, found[chunk.id],
                                       scoring, held[-1].end, knowledge.stock_share, preamble(report, held, chunk))
        primary = question.asks_ofsted
        return [c for c in out if (allow_stock or not (c.stock or c.preamble)) and not (primary and c.report.secondary)]
