"""Tests for the intent model: what kind of answer a question wants, on the real embedding model."""

import numpy as np

from bot.retrieval.intent import ROUTES, Kind, answer_kind, best_route, intent_features, leaning, load_intent_model
from bot.retrieval.query import parse_query


def _route(embedder, question: str) -> str:
    parsed = parse_query(question)
    features = intent_features(embedder.embed([parsed.frame_text or question])[0], parsed)
    probabilities = load_intent_model().probabilities(features)
    return max(probabilities, key=probabilities.get)


def test_shipped_model_knows_every_route_and_gives_a_distribution():
    """The trained model covers every route, and its probabilities sum to one."""
    model = load_intent_model()
    assert set(model.routes) == set(ROUTES)
    probabilities = model.probabilities(np.zeros(model.weights.shape[1], dtype=np.float32))
    assert abs(sum(probabilities.values()) - 1) < 1e-5


def test_new_wordings_of_improvement_and_grade_questions_are_recognised(embedder):
    """Paraphrases the phrase table does not list still reach the improvement and grades routes."""
    assert _route(embedder, "what does Thurrock still need to work on according to ofsted?") == "improvement"
    assert _route(embedder, "what was Lincolnshire's overall result in 2016?") == "grades"
    assert _route(embedder, "which councils are outstanding?") == "grades_list"
    assert _route(embedder, "how do Bolton support care leavers into work?") == "quotes"


def test_leaning_and_the_likeliest_route_summarise_the_routes():
    """Both grade routes lean to grades, and the likeliest route says where the quotes path looks."""
    probabilities = dict.fromkeys(ROUTES, 0.0) | {Kind.GRADES_LIST: 0.6, Kind.GRADES: 0.2, Kind.QUOTES: 0.2}
    assert abs(leaning(probabilities)["grades"] - 0.8) < 1e-9
    assert best_route(probabilities).looks_for == Kind.GRADES
    assert best_route(dict.fromkeys(ROUTES, 0.0) | {Kind.QUOTES: 1.0}).looks_for == Kind.QUOTES
    assert answer_kind(probabilities) == Kind.GRADES_LIST
