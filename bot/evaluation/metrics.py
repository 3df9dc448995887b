"""Evaluation: score answers against gold quotes with the metrics defined in shared/eval/README.md."""

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.answer import Answer
from bot.errors import InputError
from bot.evaluation.questions import KINDS, Gold, Question
from bot.language.words import QUOTE_MARKS, words

MIN_SHARED_WORDS = 6
MIN_SHARED_SHARE = 0.6
MRR_DEPTH = 10

_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]")
_TABLE_RULE = re.compile(r"^[ \t]*\|[ \t|:-]*$", re.MULTILINE)
_BULLET = re.compile(r"^[ \t]*[-*+•][ \t]+", re.MULTILINE)
_EMPHASIS = re.compile(r"[*_]+")


@dataclass(frozen=True)
class KindMetrics:
    """The figures for one kind of question; a share is None when the kind has no question it applies to."""

    questions: int
    hit_at_5: float | None
    mrr_at_10: float | None
    abstain_correct: float | None


@dataclass(frozen=True)
class Metrics:
    """Every figure for one run; a share is None when nothing was there to count."""

    hit_at_1: float | None
    hit_at_3: float | None
    hit_at_5: float | None
    mrr_at_10: float | None
    abstain_correct: float | None
    false_abstention: float | None
    verbatim: float | None
    latency_p50_ms: float
    latency_p95_ms: float
    answerable: int
    unanswerable: int
    excerpts: int
    mean_excerpt_words: float | None
    mean_excerpt_chars: float | None
    by_kind: dict[str, KindMetrics] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalRun:
    """One result row per question, as `findings eval --out` writes them, and their metrics."""

    rows: list[dict]
    metrics: Metrics


def _plain_characters(text: str) -> str:
    return _DASHES.sub("-", text.translate(QUOTE_MARKS))


def comparable_words(text: str) -> set[str]:
    """The README's words of a text, with curly quotes and dashes made plain first."""
    return words(_plain_characters(text))


def supports(excerpt_report_id: str, excerpt_text: str, gold: Gold) -> bool:
    """True when the excerpt is from the gold quote's report and shares enough of its words."""
    if excerpt_report_id != gold.report:
        return False
    mine, theirs = comparable_words(excerpt_text), comparable_words(gold.quote)
    shared = len(mine & theirs)
    return shared >= MIN_SHARED_WORDS and shared >= MIN_SHARED_SHARE * min(len(mine), len(theirs))


def _comparable(text: str) -> str:
    """Text with whitespace collapsed, quotes and dashes made plain, and Markdown bullets, emphasis and pipes gone."""
    text = _plain_characters(text)
    text = _TABLE_RULE.sub(" ", text)
    text = _BULLET.sub(" ", text)
    text = _EMPHASIS.sub("", text).replace("|", " ")
    return " ".join(text.split())


def is_verbatim(excerpt_text: str, source_text: str) -> bool:
    """True when the excerpt appears word for word in its report, Markdown and typography aside."""
    excerpt = _comparable(excerpt_text)
    return bool(excerpt) and excerpt in _comparable(source_text)


def run_eval(questions: list[Question], answer: Callable[[str], Answer], source_text: Callable[[str], str]) -> EvalRun:
    """Ask every question, timing each answer, and score the rows."""
    rows = []
    for question in questions:
        started = time.perf_counter()
        result = answer(question.question)
        latency_ms = (time.perf_counter() - started) * 1000
        excerpts = [
            {"report": e.report.id, "text": e.text, "section": e.section, "score": round(float(e.score), 4)}
            for e in result.excerpts
        ]
        rows.append({"id": question.id, "answered": result.answered, "route": result.route, "reason": result.reason,
                     "excerpts": excerpts, "latency_ms": round(latency_ms, 1)})
    return EvalRun(rows, metrics_from_rows(questions, rows, source_text))


def _mean(values: Iterable[bool | float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks, 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def first_support_rank(question: Question, excerpts: list[dict], depth: int = MRR_DEPTH) -> int | None:
    """The 1-based rank of the first excerpt supporting any gold quote, within `depth`, or None."""
    for rank, excerpt in enumerate(excerpts[:depth], 1):
        if any(supports(excerpt["report"], excerpt["text"], gold) for gold in question.gold):
            return rank
    return None


def metrics_from_rows(questions: list[Question], rows: Iterable[dict], source_text: Callable[[str], str]) -> Metrics:
    """Score result rows against their questions; an unanswered row offers nothing, whatever it lists."""
    by_id: dict[str, dict] = {}
    for number, row in enumerate(rows, 1):
        if not (isinstance(row, dict) and {"id", "answered", "excerpts", "latency_ms"} <= row.keys()):
            raise InputError(f"result row {number} needs id, answered, excerpts and latency_ms")
        if row["id"] in by_id:
            raise InputError(f"result row {number}: duplicate id {row['id']!r}")
        by_id[row["id"]] = row
    missing = [q.id for q in questions if q.id not in by_id]
    extra = sorted(set(by_id) - {q.id for q in questions})
    if missing or extra:
        problems = [f"{label} {len(ids)} ({', '.join(ids[:3])}{', …' if len(ids) > 3 else ''})"
                    for label, ids in (("no result for", missing), ("unknown ids", extra)) if ids]
        raise InputError("results do not match the questions: " + "; ".join(problems))
    sources: dict[str, str] = {}

    def comparable_source(report_id: str) -> str:
        if report_id not in sources:
            sources[report_id] = _comparable(source_text(report_id))
        return sources[report_id]

    ranks: dict[str, int | None] = {}
    offered_by_id: dict[str, list[dict]] = {}
    verbatim, lengths_words, lengths_chars = [], [], []
    for question in questions:
        row = by_id[question.id]
        offered = list(row["excerpts"]) if row["answered"] else []
        offered_by_id[question.id] = offered
        if question.answerable:
            ranks[question.id] = first_support_rank(question, offered)
        for excerpt in offered:
            text = _comparable(excerpt["text"])
            verbatim.append(bool(text) and text in comparable_source(excerpt["report"]))
            lengths_words.append(len(excerpt["text"].split()))
            lengths_chars.append(len(excerpt["text"]))

    def hit(ids: list[str], k: int) -> float | None:
        return _mean(ranks[i] is not None and ranks[i] <= k for i in ids)

    def mrr(ids: list[str]) -> float | None:
        return _mean(1 / ranks[i] if ranks[i] else 0.0 for i in ids)

    def abstained(ids: list[str]) -> float | None:
        return _mean(not offered_by_id[i] for i in ids)

    answerable = [q.id for q in questions if q.answerable]
    unanswerable = [q.id for q in questions if not q.answerable]
    by_kind = {}
    for kind in sorted({q.kind for q in questions}, key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k)):
        yes = [q.id for q in questions if q.kind == kind and q.answerable]
        no = [q.id for q in questions if q.kind == kind and not q.answerable]
        by_kind[kind] = KindMetrics(len(yes) + len(no), hit(yes, 5), mrr(yes), abstained(no))
    latencies = [float(by_id[q.id]["latency_ms"]) for q in questions]
    return Metrics(
        hit_at_1=hit(answerable, 1), hit_at_3=hit(answerable, 3), hit_at_5=hit(answerable, 5),
        mrr_at_10=mrr(answerable), abstain_correct=abstained(unanswerable), false_abstention=abstained(answerable),
        verbatim=_mean(verbatim), latency_p50_ms=percentile(latencies, 50), latency_p95_ms=percentile(latencies, 95),
        answerable=len(answerable), unanswerable=len(unanswerable), excerpts=len(verbatim),
        mean_excerpt_words=_mean(lengths_words), mean_excerpt_chars=_mean(lengths_chars), by_kind=by_kind,
    )
