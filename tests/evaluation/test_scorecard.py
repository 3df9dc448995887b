"""Tests for the scorecard: the evaluation's figures as a text block and as JSON."""

import json

from bot.evaluation.metrics import run_eval
from bot.evaluation.scorecard import format_metrics, metrics_json
from tests.evaluation.test_metrics import QUESTIONS, SOURCES, FixedAnswers


def test_format_and_json_show_every_figure_and_the_kinds():
    """The text block shows each headline figure and a line per kind; the JSON form survives a round trip."""
    m = run_eval(QUESTIONS, FixedAnswers(), SOURCES.__getitem__).metrics
    text = format_metrics(m)
    for label in ("hit@1", "hit@3", "hit@5", "MRR@10", "abstain correct", "false abstention", "verbatim",
                  "latency p50", "latency p95", "mean excerpt words"):
        assert label in text
    assert "0.250" in text
    assert any(line.split()[:2] == ["unanswerable", "2"] for line in text.splitlines())
    data = json.loads(json.dumps(metrics_json(m)))
    assert data["hit_at_3"] == 0.5
    assert data["mrr_at_10"] == round((1 + 1 / 3 + 1 / 7) / 4, 4)
    assert data["by_kind"]["la_specific"] == {"questions": 2, "hit_at_5": 1.0, "mrr_at_10": round(2 / 3, 4),
                                              "abstain_correct": None}
