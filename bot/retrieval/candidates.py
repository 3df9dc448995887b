"""Candidate sentences: every sentence of the retrieved chunks, with what retrieval measured about it."""

import functools
import itertools
from dataclasses import dataclass

import numpy as np

from bot.language.grades import GRADE_WORDS
from bot.language.reports import is_focused_visit
from bot.language.sentence import split_sentences
from bot.retrieval.keyword import tokenize
from bot.retrieval.polarity import sentence_polarity
from bot.retrieval.ranking import Candidate, lexical_score

MIN_WORDS = 4
# A term in at most this share of chunks is rare: naming it is naming something particular (a scheme, a town).
RARE_SHARE = 0.01


@dataclass(frozen=True)
class Evidence:
    """What retrieval measured for one chunk: its rank, its own similarity and its keyword score."""

    rank: int
    chunk_dense: float
    keyword: float  # BM25 as a share of the question's best chunk


# The same sentences are met again by every question that reaches their chunk.
@functools.lru_cache(maxsize=50_000)
def sentence_tokens(text: str) -> list[str]:
    """A sentence's normalised content words (shared: callers must not change the list)."""
    return tokenize(text)


def fragment(text: str, kind: str) -> bool:
    """True for letterhead and address lines: too short, or short and unpunctuated, to be a finding."""
    if kind not in ("sentence", "item"):
        return False
    words = len(text.split())
    return words < MIN_WORDS or (words < 10 and not text.rstrip().endswith((".", "!", "?", ":", ";", "”", '"', ")")))


def rare_terms(query: list[str], size: int, frequency) -> tuple[set[str], set[tuple[str, str]]]:
    """The question's rare words and rare adjacent pairs, by how many chunks hold them."""
    limit = max(1.0, RARE_SHARE * size)
    words = {t for t in query if 0 < frequency(t) <= limit}
    pairs = {(a, b) for a, b in itertools.pairwise(query) if 0 < frequency(f"{a}_{b}") <= limit}
    return words, pairs


def rare_share(words: set[str], pairs: set[tuple[str, str]], tokens: list[str]) -> float:
    """Share of the rare words and pairs the sentence contains word for word."""
    wanted = len(words) + len(pairs)
    if not wanted:
        return 0.0
    present = set(tokens)
    adjacent = set(itertools.pairwise(tokens))
    return (len(words & present) + len(pairs & adjacent)) / wanted


@dataclass(frozen=True)
class Scoring:
    """What every candidate of one question is measured against."""

    weights: dict[str, float]
    query: list[str]
    rare_words: set[str]
    rare_pairs: set[tuple[str, str]]
    depth: int  # how many chunks were retrieved, for the rank prior


def sentence_candidates(chunk, report, stored: np.ndarray, vector: np.ndarray, evidence: Evidence,
                        scoring: Scoring, report_length: int, stock_share, preamble: bool = False) -> list[Candidate]:
    """Every usable sentence of one chunk as a candidate; headings only when graded, never a fragment."""
    sentences = split_sentences(chunk.text)
    if not sentences or stored is None or len(stored) != len(sentences):
        return []  # written by another version of the splitter; the next ingest rewrites it
    dense = stored @ vector
    prior = max(0.0, 1.0 - evidence.rank / scoring.depth)
    out: list[Candidate] = []
    section_lexical = lexical_score(scoring.weights, scoring.query, tokenize(chunk.section))
    previous_block = -1
    for order, (sentence, similarity) in enumerate(zip(sentences, dense, strict=True)):
        opens = sentence.block != previous_block
        previous_block = sentence.block
        text = chunk.text[sentence.start : sentence.end]
        if sentence.kind == "heading" and not GRADE_WORDS.search(text):
            continue  # a heading names a topic; only a graded one is itself a finding
        if fragment(text, sentence.kind):
            continue  # an address line or a fragment, such as "Town Hall"
        tokens = sentence_tokens(text)
        out.append(Candidate(
            chunk.id, report, chunk.section, chunk.start + sentence.start, chunk.start + sentence.end, text,
            sentence.kind, sentence.block, order, float(similarity),
            lexical_score(scoring.weights, scoring.query, tokens), prior,
            polarity=sentence_polarity(text),
            chunk_dense=evidence.chunk_dense,
            keyword=evidence.keyword,
            rare=rare_share(scoring.rare_words, scoring.rare_pairs, tokens),
            position=min(1.0, (chunk.start + sentence.start) / max(1, report_length)),
            stock=stock_share(text) if sentence.kind == "sentence" else 0.0,
            opens_paragraph=opens,
            section_lexical=section_lexical,
            preamble=preamble,
        ))
    return out


def preamble(report, held: list, chunk) -> bool:
    """True for a focused-visit letter's letterhead and opening section (who visited, what it covered and how).

    The chunker names the text before the first heading "Introduction" (the letterhead); the first heading is the
    letter's title ("Focused visit to ..."), under which the opening paragraphs sit. A letter with no further
    section is all one section, and none of it is set aside.
    """
    if not is_focused_visit(report.report_type):
        return False
    sections = list(dict.fromkeys(c.section for c in held))
    opening = sections[: 2 if sections[0] == "Introduction" else 1]
    return len(sections) > len(opening) and chunk.section in opening
