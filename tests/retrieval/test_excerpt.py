"""Tests for excerpt selection: spans of adjacent sentences cut by offsets, deduplicated and capped."""

from bot.language.sentence import split_sentences
from bot.language.words import words
from bot.report import Report
from bot.retrieval.excerpt import ChunkText, near_duplicate, over_time, select_excerpts
from bot.retrieval.ranking import Candidate

REPORT_A = Report("a", "Report A", "LA A", "ilacs_inspection", "Ofsted", "2024-01-01")
REPORT_B = Report("b", "Report B", "LA B", "ilacs_inspection", "Ofsted", "2024-01-01")
CHUNK = (
    "Care proceedings take too long. There is an average duration of 39 weeks. Leaders know this.\n"
    "Supervision is regular. Managers are visible."
)
OTHER = "Return home interviews are timely. Managers track them.\nPlans are clear. Reviews happen on time. Good."


def _candidates(report: Report, chunk_id: str, scores: list[float], offset: int = 100, text: str = CHUNK):
    units = split_sentences(text)
    return [
        Candidate(chunk_id, report, "S", offset + u.start, offset + u.end, text[u.start : u.end], u.kind,
                  u.block, i, 0.5, 0.5, 0.5, score=s)
        for i, (u, s) in enumerate(zip(units, scores, strict=True))
    ]


def test_span_text_is_cut_from_the_source_by_offsets():
    """Each excerpt's text equals the source between its offsets."""
    source = " " * 100 + CHUNK
    chosen = select_excerpts(_candidates(REPORT_A, "c1", [0.9, 0.5, 0.2, 0.3, 0.1]), {"c1": ChunkText(100, CHUNK)},
                             limit=3, per_report=3, floor=0.1)
    assert chosen and all(source[e.start : e.end] == e.text for e in chosen)


def test_short_best_sentence_takes_its_better_neighbour():
    """A very short best sentence is widened with its best adjacent sentence in the same paragraph."""
    chosen = select_excerpts(_candidates(REPORT_A, "c1", [0.5, 0.9, 0.2, 0.1, 0.1]), {"c1": ChunkText(100, CHUNK)},
                             limit=1, per_report=3, floor=0.1)
    assert chosen[0].text == "Care proceedings take too long. There is an average duration of 39 weeks."


def test_sentence_that_leans_back_brings_the_one_before():
    """A best sentence starting 'This' or 'However' is shown with the sentence it refers to."""
    text = "Leaders act quickly. This means children are safer.\n"
    units = split_sentences(text)
    candidates = [
        Candidate("c", REPORT_A, "S", u.start, u.end, text[u.start : u.end], u.kind, u.block, i, 0.5, 0.5, 0.5, score=s)
        for i, (u, s) in enumerate(zip(units, [0.2, 0.9], strict=True))
    ]
    chosen = select_excerpts(candidates, {"c": ChunkText(0, text)}, limit=1, per_report=1, floor=0.1)
    assert chosen[0].text == "Leaders act quickly. This means children are safer."


def test_spans_never_cross_a_paragraph():
    """Sentences on different lines are never joined, however well both score."""
    chosen = select_excerpts(_candidates(REPORT_A, "c1", [0.1, 0.1, 0.9, 0.9, 0.1]), {"c1": ChunkText(100, CHUNK)},
                             limit=5, per_report=5, floor=0.05)
    assert all("\n" not in e.text for e in chosen)
    assert len(chosen[0].text.split(". ")) <= 3


def test_per_report_cap_and_floor():
    """No report gives more than its cap, and nothing under the floor is offered."""
    candidates = _candidates(REPORT_A, "c1", [0.9, 0.1, 0.85, 0.8, 0.1])
    candidates += _candidates(REPORT_B, "c2", [0.7, 0.1, 0.1, 0.1, 0.1], 0, OTHER)
    chunks = {"c1": ChunkText(100, CHUNK), "c2": ChunkText(0, OTHER)}
    chosen = select_excerpts(candidates, chunks, limit=5, per_report=1, floor=0.6, ratio=2.0)
    assert [e.report.id for e in chosen] == ["a", "b"]


def test_near_duplicates_are_dropped():
    """Two excerpts with nearly the same words count once."""
    same = words("Care leavers are supported well by PAs."), words("Care leavers are supported well by their PAs.")
    assert near_duplicate(*same)
    assert not near_duplicate(words("Care leavers are supported well."), words("Supervision is regular."))


def _three_reports(new_scores: list[float]):
    """An old and a new report of one council, and one from before the years asked, as candidates and chunks."""
    old = Report("old", "Old", "LA A", "focused_visit", "Ofsted", "2018-03-01")
    new = Report("new", "New", "LA A", "ilacs_inspection", "Ofsted", "2023-05-01")
    outside = Report("older", "Older", "LA A", "sif_inspection", "Ofsted", "2014-01-01")
    candidates = (_candidates(new, "c2", new_scores)
                  + _candidates(old, "c1", [0.3, 0.2, 0.1, 0.1, 0.1], text=OTHER)
                  + _candidates(outside, "c3", [0.95, 0.1, 0.1, 0.1, 0.1]))
    return candidates, {"c1": ChunkText(100, OTHER), "c2": ChunkText(100, CHUNK), "c3": ChunkText(100, CHUNK)}


def test_a_question_about_change_hears_from_each_report_it_spans_oldest_first():
    """Each report in the years asked gets its best excerpt, in date order, labelled with its year and kind."""
    candidates, chunks = _three_reports([0.9, 0.8, 0.7, 0.6, 0.5])
    chosen = over_time(candidates, chunks, (2018, 2023), floor=0.02)
    assert [e.report.id for e in chosen[:2]] == ["old", "new"]
    assert [e.label for e in chosen[:2]] == ["2018 focused visit", "2023 inspection"]
    assert "older" not in {e.report.id for e in chosen}
    assert all(e.label for e in chosen)


def test_since_a_year_spans_every_later_report():
    """'Since 2018' takes the 2018 report and every one after it, and none before."""
    candidates, chunks = _three_reports([0.9, 0.1, 0.1, 0.1, 0.1])
    chosen = over_time(candidates, chunks, (2018,), floor=0.02)
    assert {e.report.id for e in chosen} == {"old", "new"} and chosen[0].report.id == "old"
