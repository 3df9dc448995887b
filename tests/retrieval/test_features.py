"""Tests for the ranker's feature rows."""

from dataclasses import replace

import numpy as np

from bot.report import Report
from bot.retrieval.features import ALL_FEATURES, CROSS_FLOOR, FEATURES, columns, cross_columns, feature_matrix
from bot.retrieval.ranking import Candidate, Context

REPORT = Report("la-ilacs-2025", "Inspection of LA", "LA", "ilacs_inspection", "Ofsted", "2025-01-01")
NEWS = Report("la-news-2025", "LA services improving", "LA", "news", "BBC News", "2025-02-01")


def _candidate(text="Care leavers are well supported.", kind="sentence", section="Care leavers", dense=0.6,
               report=REPORT, **fields) -> Candidate:
    return Candidate("c", report, section, 0, len(text), text, kind, 0, 0, dense=dense, lexical=0.5, prior=0.5,
                     **fields)


def _column(matrix: np.ndarray, name: str) -> np.ndarray:
    return matrix[:, FEATURES.index(name)]


def test_one_row_per_candidate_in_feature_order():
    """The matrix has a row per candidate and a column per named feature; no candidates gives no rows."""
    matrix = feature_matrix([_candidate(), _candidate(dense=0.4)], Context())
    assert matrix.shape == (2, len(FEATURES))
    assert feature_matrix([], Context()).shape == (0, len(FEATURES))


def test_gap_columns_are_measured_from_the_best_candidate():
    """The best candidate's dense gap is zero and another's is how far it falls short."""
    gaps = _column(feature_matrix([_candidate(dense=0.7), _candidate(dense=0.5)], Context()), "dense_gap")
    assert gaps[0] == 0.0 and abs(gaps[1] + 0.2) < 1e-9


def test_structural_signals_count_only_as_far_as_the_question_leans_that_way():
    """A graded row fits a question leaning to grades; an improvement item fits one leaning to improvement."""
    row = _candidate("| The experiences and progress of care leavers | Good |", kind="row")
    item = _candidate("The timeliness of assessments.", kind="item", section="What needs to improve?")
    grades = feature_matrix([row, item], Context(leaning={"grades": 0.9}))
    improve = feature_matrix([row, item], Context(leaning={"improvement": 0.9}))
    assert _column(grades, "judgement_fit")[0] > _column(improve, "judgement_fit")[0]
    assert _column(improve, "improve_fit")[1] > _column(grades, "improve_fit")[1]
    assert _column(grades, "improve_off")[1] > _column(improve, "improve_off")[1]


def test_secondary_sources_and_stock_text_are_marked():
    """A news item is marked secondary, and a stock sentence carries its share of reports."""
    matrix = feature_matrix([_candidate(report=NEWS), replace(_candidate(), stock=0.4)], Context())
    assert list(_column(matrix, "secondary")) == [1.0, 0.0]
    assert list(_column(matrix, "stock")) == [0.0, 0.4]


def test_cross_columns_floor_unread_candidates_and_measure_the_gap():
    """Candidates the cross-encoder did not read get the floor; the gap is from the question's best logit."""
    cols = cross_columns(4, [1, 3], np.array([2.5, -30.0]))
    assert cols[:, 0].tolist() == [CROSS_FLOOR, 2.5, CROSS_FLOOR, CROSS_FLOOR]
    assert cols[:, 1].tolist() == [CROSS_FLOOR - 2.5, 0.0, CROSS_FLOOR - 2.5, CROSS_FLOOR - 2.5]
    assert cols[:, 2].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_a_model_reads_only_its_named_columns():
    """A ranker fitted on fewer features reads exactly those columns of the full matrix."""
    matrix = np.arange(2 * len(ALL_FEATURES), dtype=float).reshape(2, -1)
    picked = columns(matrix, ("cross", "dense"))
    assert picked[:, 0].tolist() == matrix[:, ALL_FEATURES.index("cross")].tolist()
    assert columns(matrix, ALL_FEATURES) is matrix
