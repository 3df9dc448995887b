"""Tests for fusion, term weighting and the question readings ranking uses."""

from bot.report import Report
from bot.retrieval.ranking import (
    Candidate,
    asked_grades,
    judgement_areas,
    lexical_score,
    reciprocal_rank_fusion,
    shortlist,
    weigh_terms,
)


def test_fusion_rewards_agreement_between_rankings():
    """An id ranked by both lists beats ids ranked high by only one."""
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])
    assert max(fused, key=fused.get) in {"a", "b"} and fused["b"] > fused["c"] and fused["b"] > fused["d"]


def test_rare_terms_weigh_more_and_an_expansion_counts_once():
    """A rarer query term gets more weight, and a long expansion shares one term's weight among its words."""
    idf = {"supervis": 1.0, "mockingbird": 5.0, "multi": 2.0, "agenc": 2.0, "hub": 2.0}
    weights = weigh_terms(["supervis", "mockingbird"], [["multi", "agenc", "hub"]], idf)
    assert weights["mockingbird"] > weights["supervis"]
    assert abs(sum(weights[t] for t in ("multi", "agenc", "hub")) - 2.0) < 1e-9


def test_lexical_score_counts_coverage_and_kept_phrases():
    """A sentence with all the query's terms beats one with some, and keeping a query phrase intact adds more."""
    weights = {"young": 1.0, "carer": 1.0}
    query = ["young", "carer"]
    assert lexical_score(weights, query, ["young", "carer"]) > lexical_score(weights, query, ["carer", "young"])
    assert lexical_score(weights, query, ["carer", "young"]) > lexical_score(weights, query, ["young"])
    assert lexical_score({}, [], ["young"]) == 0.0


def test_judgement_areas_and_asked_grades_are_read_from_the_question():
    """'Care leavers' names that judgement row, and 'judged good' the grade looked for; none means overall."""
    assert judgement_areas("what did they get for care leavers?") == ("care leavers",)
    assert judgement_areas("how were they graded?") == ("overall effectiveness",)
    assert asked_grades("was any area judged good?") == ("good",)
    assert asked_grades("are they still RI?") == ("requires improvement",)


def _candidate(n: int, dense: float, lexical: float, prior: float) -> Candidate:
    report = Report("r", "R", "LA", "ilacs_inspection", "Ofsted", "2024-01-01")
    return Candidate("c", report, "S", n, n + 1, f"sentence {n}", "sentence", 0, n, dense, lexical, prior)


def test_the_shortlist_takes_the_best_by_meaning_by_words_and_by_retrieval():
    """The cross-encoder reads the best candidate on each signal, and all of them when there are few."""
    candidates = [_candidate(n, 0.1, 0.1, 0.1) for n in range(40)]
    candidates[7] = _candidate(7, 0.9, 0.0, 0.0)
    candidates[21] = _candidate(21, 0.0, 0.9, 0.0)
    candidates[33] = _candidate(33, 0.0, 0.0, 0.9)
    chosen = shortlist(candidates, 5)
    assert len(chosen) == 5 and {7, 21, 33} <= set(chosen) and chosen == sorted(chosen)
    assert shortlist(candidates[:4], 5) == [0, 1, 2, 3]
