"""Hybrid search for one question: dense over chunks and sentences, BM25, fused by rank, plus known places."""

import numpy as np

from bot.answer import Filters
from bot.retrieval.candidates import Evidence
from bot.retrieval.intent import Kind
from bot.retrieval.query import ParsedQuery
from bot.retrieval.ranking import reciprocal_rank_fusion
from bot.retrieval.snapshot import Snapshot
from bot.retrieval.vector_cache import EXACT_SCOPE_CHUNKS

DENSE_K = 40
KEYWORD_K = 40
CANDIDATE_CHUNKS = 12
# A council's whole history is this many reports at most; a comparison over time takes this many chunks of each.
MAX_SCOPED_REPORTS = 8
PER_REPORT_CHUNKS = 2


def retrieve(
    knowledge: Snapshot, parsed: ParsedQuery, topic: str, looks_for: Kind, vector: np.ndarray, scope: Filters,
    report_ids: set[str], size: int = CANDIDATE_CHUNKS, comparative: bool = False,
) -> tuple[list[str], dict[str, Evidence]]:
    """Dense search over chunks and sentences, and keyword search, fused by reciprocal rank."""
    committed = knowledge.position
    depth = max(DENSE_K, size * 3)
    by_report = knowledge.by_report
    if scope and sum(len(by_report.get(rid, ())) for rid in report_ids) <= EXACT_SCOPE_CHUNKS:
        dense, sentence_hits = knowledge.vectors.nearest(by_report, report_ids, vector, depth)
    else:
        where = {"report_id": {"$in": sorted(report_ids)}} if scope else None
        dense = [h.id for h in knowledge.store.query(vector.tolist(), depth, where) if h.id in committed]
        sentence_hits = knowledge.store.query_sentences(vector.tolist(), depth, where)
    by_sentence = list(dict.fromkeys(cid for cid, _, _ in sentence_hits if cid in committed))
    mask = knowledge.mask(report_ids) if scope else None
    hits = knowledge.index.search(topic, max(KEYWORD_K, size * 3), mask)
    keyword = [knowledge.chunks[h.index].id for h in hits]
    fused = reciprocal_rank_fusion([dense, by_sentence, keyword])
    ranked = sorted(fused, key=lambda cid: -fused[cid])[:size]
    # Some answers live in a known place: the judgement table, the "what needs to improve" list. For one
    # council's few reports that is every report; across councils, the reports retrieval already favours.
    few = len(report_ids) <= (MAX_SCOPED_REPORTS if scope.local_authorities else 3)
    in_focus = report_ids if few else {knowledge.chunk(cid).report_id for cid in ranked[:4]}
    extra = knowledge.structural(in_focus, looks_for)
    if scope.local_authorities and few and comparative:
        # A question about change over time hears from every report, not only the one retrieval favours.
        per_report: dict[str, list[str]] = {}
        for cid in dense:
            per_report.setdefault(knowledge.chunk(cid).report_id, []).append(cid)
        extra += [cid for ids in per_report.values() for cid in ids[:PER_REPORT_CHUNKS]]
    if looks_for == Kind.IMPROVEMENT and len(report_ids) > 3:
        # "Which councils were told to improve X?": X among every report's list of what needs to improve.
        lists = mask & knowledge.improve_mask if mask is not None else knowledge.improve_mask
        extra += [knowledge.chunks[h.index].id for h in knowledge.index.search(topic, 8, lists)]
    chunk_ids = ranked + [cid for cid in dict.fromkeys(extra) if cid not in ranked]
    best = max((h.score for h in hits), default=0.0) or 1.0
    keyword_score = {knowledge.chunks[h.index].id: h.score / best for h in hits}
    similarity = knowledge.vectors.chunk_vectors(chunk_ids) @ vector
    found = {cid: Evidence(rank, float(sim), keyword_score.get(cid, 0.0))
             for rank, (cid, sim) in enumerate(zip(chunk_ids, similarity, strict=True))}
    return chunk_ids, found
