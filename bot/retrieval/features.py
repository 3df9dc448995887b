"""What the ranker knows about each candidate sentence: one row of numbers per candidate, named in FEATURES.

The pipeline already measures relevance (dense similarity of the sentence and of its chunk, BM25, lexical
coverage, rare terms) and the domain's signals (section, judgement rows, intent, year, polarity, stock text).
Here they become numbers; `bot.retrieval.ranker` learns how much each counts. Columns ending in `_gap` are relative
to the question's best candidate, so one model fits questions whose similarities sit at different levels.
"""

import math
import re

import numpy as np

from bot.language.areas import OVERALL_KEY
from bot.language.grades import GRADE_WORDS
from bot.language.sections import HEADLINE_SECTION, IMPROVE_HEADING
from bot.retrieval.ranking import (
    FOCUS,
    OVERALL,
    PROGRESS,
    Candidate,
    Context,
)

FEATURES = (
    "dense", "dense_gap", "chunk_dense", "chunk_dense_gap", "keyword", "lexical", "lexical_gap", "rare", "prior",
    "section_lexical", "row", "item", "heading", "graded", "judgement_fit", "graded_off", "area_fit", "grade_fit",
    "overall_fit", "improve_section", "improve_fit", "improve_off", "headline_fit", "focus", "focus_fit", "focus_off",
    "stock", "stock_fit", "preamble", "dense_lexical",
    "progress_fit", "year", "year_compared", "latest", "polarity_match", "polarity_clash", "evaluative",
    "position", "opens_paragraph", "secondary", "length", "short",
)
# What the cross-encoder said: its logit (floored; a candidate it did not read gets the floor), the gap to the
# question's best logit, and whether it read the candidate at all.
CROSS_FEATURES = ("cross", "cross_gap", "cross_read")
CROSS_FLOOR = -10.0
ALL_FEATURES = FEATURES + CROSS_FEATURES
_GAPS = {"dense_gap": "dense", "chunk_dense_gap": "chunk_dense", "lexical_gap": "lexical"}


def _row(c: Candidate, context: Context) -> dict[str, float]:
    lean = context.leaning
    grades, improve = lean.get("grades", 0.0), lean.get("improvement", 0.0)
    overview, method = lean.get("overview", 0.0), lean.get("method", 0.0)
    text, report = c.text, c.report
    graded = float(c.kind in ("row", "heading") and bool(GRADE_WORDS.search(text)))
    lowered = text.lower()
    area = any(a in lowered for a in context.areas) or (
        OVERALL_KEY in context.areas and bool(OVERALL.match(text)))
    asked = any(re.search(rf"\b{g}\b", text, re.IGNORECASE) for g in context.grades)
    improve_section = float(bool(IMPROVE_HEADING.search(c.section)))
    focus = float(bool(FOCUS.match(text)))
    years = context.report_years.get(report.id, set()) & set(context.years)
    latest = context.single_la and not context.past and context.latest_by_la.get(report.local_authority) == report.id
    polar = context.polarity != "neutral" and c.polarity != "neutral"
    words = len(text.split())
    return {
        "dense": c.dense, "chunk_dense": c.chunk_dense, "keyword": c.keyword, "lexical": c.lexical,
        "rare": c.rare, "prior": c.prior,
        "row": float(c.kind == "row"), "item": float(c.kind == "item"), "heading": float(c.kind == "heading"),
        "section_lexical": c.section_lexical,
        "graded": graded, "judgement_fit": grades * graded, "graded_off": (1 - grades) * graded,
        "area_fit": grades * graded * area,
        "grade_fit": grades * graded * asked, "overall_fit": grades * float(bool(OVERALL.match(text))),
        "improve_section": improve_section, "improve_fit": improve * improve_section,
        "improve_off": (1 - improve) * improve_section,
        "headline_fit": overview * float(bool(HEADLINE_SECTION.search(c.section)) and not report.secondary),
        "focus": focus, "focus_fit": max(method, float(context.asks_focus)) * focus,
        "focus_off": (1 - max(method, float(context.asks_focus))) * focus, "dense_lexical": c.dense * c.lexical,
        "stock": c.stock, "stock_fit": method * c.stock, "preamble": float(c.preamble),
        "progress_fit": float(context.comparative and bool(PROGRESS.search(text))),
        "year": float(bool(years) and not context.comparative),
        "year_compared": float(bool(years) and context.comparative),
        "latest": float(latest),
        "polarity_match": float(polar and c.polarity == context.polarity),
        "polarity_clash": float(polar and c.polarity != context.polarity),
        "evaluative": float(c.polarity != "neutral"),
        "position": c.position, "opens_paragraph": float(c.opens_paragraph), "secondary": float(report.secondary),
        "length": math.log1p(words), "short": float(words < 8),
    }


def feature_matrix(candidates: list[Candidate], context: Context) -> np.ndarray:
    """One row per candidate, columns in FEATURES order; gap columns measured from the question's best."""
    if not candidates:
        return np.zeros((0, len(FEATURES)), dtype=np.float64)
    rows = [_row(c, context) for c in candidates]
    best = {base: max(r[base] for r in rows) for base in _GAPS.values()}
    for r in rows:
        for gap, base in _GAPS.items():
            r[gap] = r[base] - best[base]
    return np.array([[r[name] for name in FEATURES] for r in rows], dtype=np.float64)


def cross_columns(count: int, read: list[int], logits: np.ndarray) -> np.ndarray:
    """The CROSS_FEATURES columns for `count` candidates, of which those at `read` have the given logits."""
    cross = np.full(count, CROSS_FLOOR)
    if len(read):
        cross[read] = np.maximum(logits, CROSS_FLOOR)
    best = cross.max() if count else 0.0
    flags = np.zeros(count)
    flags[read] = 1.0
    return np.column_stack([cross, cross - best, flags]) if count else np.zeros((0, len(CROSS_FEATURES)))


def columns(matrix: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The named columns of a matrix laid out in ALL_FEATURES order (a model may read only some of them)."""
    if names == ALL_FEATURES:
        return matrix
    return matrix[:, [ALL_FEATURES.index(name) for name in names]]
