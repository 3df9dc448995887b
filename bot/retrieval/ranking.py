"""Fusion and domain-aware ranking of candidate sentences: pure functions over small dataclasses."""

import functools
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.language.areas import OVERALL_KEY, area_phrases
from bot.language.grades import GRADE_PATTERN
from bot.language.grades import OVERALL as OVERALL_NAME
from bot.report import Report

RRF_K = 60
# "Was any area judged good?" names the grade it is looking for.
ASKED_GRADE = re.compile(
    rf"\b(?:judged|rated|graded|get|got|achieved?|as|still) ({GRADE_PATTERN}|ri)\b",
    re.IGNORECASE,
)
GRADED_LINE = re.compile(
    rf"^(\|.*\|\s*$|(#+ |\*\*).*\b({GRADE_PATTERN})\b)", re.IGNORECASE | re.MULTILINE
)
@functools.cache
def _judgement_areas() -> list[tuple[re.Pattern[str], str]]:
    rows = sorted(area_phrases(), key=lambda row: -len(row[0]))
    return [(re.compile(rf"\b{re.escape(phrase)}\b", re.IGNORECASE), key) for phrase, key in rows]


def judgement_areas(question: str) -> tuple[str, ...]:
    """Which judgement rows a question asks about ("care leavers", "impact of leaders"...), longest phrase first."""
    found: list[str] = []
    text = question
    for pattern, row in _judgement_areas():
        if pattern.search(text):
            found.append(row)
            text = pattern.sub(" ", text)
    named = [row for row in dict.fromkeys(found) if row != OVERALL_KEY]
    # "Overall good, but what about leadership?" names the overall grade only as context.
    return tuple(named) or (OVERALL_KEY,)


def asked_grades(question: str) -> tuple[str, ...]:
    """The grades a question is looking for, e.g. ("good",) for "was any area judged good?"."""
    found = [m.group(1).lower() for m in ASKED_GRADE.finditer(question)]
    return tuple(dict.fromkeys("requires improvement" if g == "ri" or g.startswith("requir") else g for g in found))


def weigh_terms(topic: list[str], expansions: list[list[str]], idf: Mapping[str, float]) -> dict[str, float]:
    """Query term weights from each term's idf: rarer terms count more, and an expansion counts as one term."""
    weights = {term: idf[term] for term in topic}
    for tokens in expansions:
        for term in tokens:
            weights[term] = max(weights.get(term, 0.0), idf[term] / len(tokens))
    return weights


def lexical_score(weights: dict[str, float], query: list[str], sentence: list[str]) -> float:
    """Share of the query's term weight the sentence contains, plus a bonus for query phrases kept intact."""
    total = sum(weights.values())
    if not total:
        return 0.0
    present = set(sentence)
    covered = sum(w for term, w in weights.items() if term in present) / total
    pairs = set(itertools.pairwise(query))
    phrases = sum(1 for pair in itertools.pairwise(sentence) if pair in pairs)
    return covered + 0.1 * min(phrases, 3)


def reciprocal_rank_fusion(rankings: list[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Fuse ranked lists of ids: each list adds 1 / (k + rank) for every id it ranks."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


@dataclass(frozen=True)
class Candidate:
    """A sentence (or row, or bullet) that might answer the question, with what is known about it."""

    chunk_id: str
    report: Report
    section: str
    start: int
    end: int
    text: str
    kind: str
    block: int
    order: int
    dense: float
    lexical: float
    prior: float
    score: float = 0.0
    polarity: str = "neutral"
    chunk_dense: float = 0.0
    keyword: float = 0.0  # the chunk's BM25 score as a share of the question's best
    rare: float = 0.0  # share of the question's rare terms the sentence contains word for word
    position: float = 0.0  # where in its report the sentence sits, 0 at the start and 1 at the end
    stock: float = 0.0  # share of reports of its kind that repeat the sentence (boilerplate)
    opens_paragraph: bool = False
    section_lexical: float = 0.0  # how much of the question its section's title covers
    preamble: bool = False  # in a letter's opening section, which says how the visit was done and what it covered


@dataclass(frozen=True)
class Context:
    """What ranking needs to know about the question."""

    # How likely the question asks for grades, what needs to improve, the headline or the method, from the router.
    leaning: dict[str, float] = field(default_factory=dict)
    polarity: str = "neutral"
    areas: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    asks_focus: bool = False
    comparative: bool = False
    single_la: bool = False
    past: bool = False
    years: tuple[int, ...] = ()
    latest_by_la: dict[str, str] = field(default_factory=dict)
    report_years: dict[str, set[int]] = field(default_factory=dict)


# An SIF report states its overall judgement as "Children's services in X are inadequate".
OVERALL = re.compile(rf"^(?:\| )?(?:{re.escape(OVERALL_NAME)}|Children.s services in )", re.IGNORECASE)
# Inspectors describe change over time in stock ways; a comparison question wants those sentences.
PROGRESS = re.compile(
    r"\b(since the (last|previous|\w+ (\d{4} )?)(inspection|focused visit|visit|judgement)|at the (last|previous) "
    r"(inspection|focused visit|visit)|since (the )?(January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4}|previous(ly)? (inspection|judged|visit)|last inspection|"
    r"(has|have) (not )?(improved|deteriorated|declined|strengthened|weakened)|continued (progress|improvement)|"
    r"no longer|remains? (a|an) (area|weakness)|were raised)\b",
    re.IGNORECASE,
)
# A focused visit states what it looked at in one sentence: the answer to "what was the visit about?".
FOCUS = re.compile(r"^(Inspectors looked at|This visit (looked at|focused on)|The focus of)\b")


def top_indices(scores, size: int) -> list[int]:
    """The indices of the `size` best scores, in index order (ties to the earlier candidate)."""
    order = sorted(range(len(scores)), key=lambda i: (-float(scores[i]), i))
    return sorted(order[:size])


def shortlist(candidates: list[Candidate], size: int) -> list[int]:
    """The candidates the cross-encoder reads: the best by meaning, by words and by retrieval rank, in turn.

    Taking each signal's next best in turn (not a fusion, which favours the middling) keeps a sentence that
    only one signal finds. Nothing here is learned, so which sentences are read never depends on the questions
    a model was fitted on.
    """
    if len(candidates) <= size:
        return list(range(len(candidates)))
    orders = [sorted(range(len(candidates)), key=lambda i, f=f: (-f(candidates[i]), i))
              for f in (lambda c: c.dense, lambda c: c.lexical + c.rare, lambda c: c.prior + c.chunk_dense)]
    chosen: dict[int, None] = {}
    for rank in range(len(candidates)):
        for order in orders:
            if len(chosen) < size:
                chosen.setdefault(order[rank])
    return sorted(chosen)
