"""Tests for fusion and domain-aware scoring."""

from dataclasses import replace

from bot.ranking import Candidate, Context, reciprocal_rank_fusion, score
from bot.report import Report

OFSTED = Report("la-ilacs-2025", "Inspection of LA", "LA", "ilacs_inspection", "Ofsted", "2025-01-01")
OLDER = replace(OFSTED, id="la-fv-2021", report_type="focused_visit", published="2021-01-01")
NEWS = Report("la-news-2025", "LA services improving", "LA", "news", "BBC News", "2025-02-01")


def _candidate(report: Report, text: str = "Care leavers are well supported.", section: str = "Care leavers",
               kind: str = "sentence") -> Candidate:
    return Candidate("c", report, section, 0, len(text), text, kind, 0, 0, dense=0.6, lexical=0.5, prior=0.5)


def test_fusion_rewards_agreement_between_rankings():
    """An id ranked by both lists beats ids ranked high by only one."""
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert max(fused, key=fused.get) in {"a", "b"} and fused["b"] > fused["c"] and fused["b"] > fused["d"]


def test_ofsted_outranks_news_saying_the_same():
    """A news item scores below an Ofsted report with the same text and relevance."""
    context = Context()
    assert score(_candidate(OFSTED), context).score > score(_candidate(NEWS), context).score


def test_latest_report_ranks_first_unless_the_past_is_asked_for():
    """For one LA the latest report gets the edge, but not when the question asks about the past."""
    latest = {"LA": OFSTED.id}
    now = Context(single_la=True, latest_by_la=latest)
    assert score(_candidate(OFSTED), now).score > score(_candidate(OLDER), now).score
    past = Context(single_la=True, past=True, latest_by_la=latest)
    assert score(_candidate(OFSTED), past).score == score(_candidate(OLDER), past).score


def test_year_named_in_question_favours_that_report():
    """A report from a year the question names outranks one from another year."""
    context = Context(years=(2021,), report_years={OLDER.id: {2021}, OFSTED.id: {2025}})
    assert score(_candidate(OLDER), context).score > score(_candidate(OFSTED), context).score


def test_judgement_questions_favour_table_rows_and_improvement_questions_their_section():
    """Intent lifts judgement rows for grade questions and 'what needs to improve' items for improvement ones."""
    row = _candidate(OFSTED, "| The experiences and progress of care leavers | Good |", kind="row")
    plain = _candidate(OFSTED)
    judgement = Context(intent="judgement")
    assert score(row, judgement).score > score(plain, judgement).score
    improve_item = _candidate(OFSTED, section="What needs to improve?", kind="item")
    improvement = Context(intent="improvement")
    assert score(improve_item, improvement).score > score(plain, improvement).score
