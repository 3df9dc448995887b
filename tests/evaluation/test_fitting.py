"""Tests for fitting the models: folds, logistic regressions and the abstention threshold."""

import numpy as np

from bot.evaluation.fitting import abstention_threshold, fit_intent, fit_linear, grouped_folds


def test_grouped_folds_never_split_a_group_and_repeat_for_a_seed():
    """Every item of a group lands in one fold, folds are balanced, and the same seed deals the same folds."""
    groups = [f"la:{i % 17}" for i in range(200)]
    folds = grouped_folds(groups, 5, seed=3)
    assert all(len({f for g, f in zip(groups, folds, strict=True) if g == group}) == 1 for group in set(groups))
    sizes = np.bincount(folds, minlength=5)
    assert sizes.max() - sizes.min() <= 12
    assert folds == grouped_folds(groups, 5, seed=3)
    assert folds != grouped_folds(groups, 5, seed=4)


def test_fit_linear_learns_a_signal_and_is_deterministic():
    """A feature that decides the label gets a large positive weight, the same on every run."""
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(400, 3))
    labels = (rows[:, 0] > 0.5).astype(float)
    a = fit_linear(rows, labels, ("signal", "noise1", "noise2"), c=1.0, seed=0)
    b = fit_linear(rows, labels, ("signal", "noise1", "noise2"), c=1.0, seed=0)
    assert a.weights[0] > 3 * max(abs(a.weights[1]), abs(a.weights[2]))
    assert np.array_equal(a.weights, b.weights)
    assert a.probabilities(np.array([[2.0, 0, 0]]))[0] > 0.9


def test_abstention_threshold_keeps_false_abstention_within_budget():
    """At most the budget's share of answerable questions fall under the threshold."""
    probabilities = np.linspace(0.01, 0.99, 100)
    answerable = np.ones(100)
    threshold = abstention_threshold(probabilities, answerable, budget=0.05)
    assert (probabilities < threshold).sum() <= 5 and (probabilities < threshold).sum() >= 4


def test_fit_intent_separates_routes():
    """A multinomial model on rows that mark their route picks the right route for a new row."""
    rng = np.random.default_rng(1)
    rows = np.vstack([rng.normal(loc=c, size=(30, 4)) for c in (0.0, 3.0)])
    model = fit_intent(rows, ["quotes"] * 30 + ["grades"] * 30, seed=0)
    probabilities = model.probabilities(np.full(4, 3.0))
    assert max(probabilities, key=probabilities.get) == "grades"
    assert abs(sum(probabilities.values()) - 1) < 1e-6
