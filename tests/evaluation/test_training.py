"""Tests for training by grouped cross-validation, on the real engine over the shipped knowledge base."""

import numpy as np
import pytest

from bot.evaluation.questions import Gold, Question, load_questions
from bot.evaluation.training import candidate_labels, cross_validate, metrics_by_set, prepare_items, question_group
from tests.conftest import DEV_SET
from tests.retrieval.test_answerer import source_text


@pytest.fixture(scope="module")
def items(answerer):
    """The development questions prepared once on the shipped store."""
    return prepare_items(load_questions(DEV_SET), "dev", answerer)


def test_questions_are_grouped_by_council_or_by_theme():
    """A council question's group is its gold report's council; a thematic one's is its theme."""
    council = Question("a", "dorset supervision?", True, "la_specific", (Gold("dorset-fv", "x"),))
    theme = Question("b", "which LAs do X?", True, "thematic", (Gold("dorset-fv", "x"), Gold("bury-fv", "y")), "x")
    unanswerable = Question("c", "what did ofsted say about Croydon's UASC?", False, "unanswerable")
    assert question_group(council, {"dorset-fv": "Dorset"}.get) == "la:Dorset"
    assert question_group(theme, {"dorset-fv": "Dorset"}.get) == "theme:x"
    assert question_group(unanswerable, lambda _: "") == "la:Croydon"


def test_gold_sentences_are_labelled_among_the_candidates(items):
    """Nearly every answerable development question has a candidate labelled as supporting its gold."""
    answerable = [i for i in items if i.question.answerable]
    labelled = [i for i in answerable if i.labels.sum() > 0]
    assert len(labelled) >= 0.9 * len(answerable)
    for item in labelled[:5]:
        positive = [c for c, label in zip(item.prepared.candidates, item.labels, strict=True) if label]
        assert all(c.report.id in {g.report for g in item.question.gold} for c in positive)
    assert candidate_labels(items[0].prepared, Question("z", "q", False, "unanswerable")).sum() == 0


def test_cross_validation_holds_each_group_out_once_and_repeats_for_a_seed(items):
    """Folds partition the groups; every question gets an out-of-fold answer; the same seed, the same weights."""
    run = cross_validate(items, seed=0, k=3)
    held = [set(groups) for groups, _ in run.folds]
    assert set().union(*held) == {i.group for i in items} and sum(map(len, held)) == len(set().union(*held))
    assert len(run.out_of_fold) == len(run.in_sample) == len(items)
    again = cross_validate(items, seed=0, k=3)
    assert np.array_equal(run.final.sentences.weights, again.final.sentences.weights)
    cv = metrics_by_set(items, run.out_of_fold, source_text)["dev"]
    seen = metrics_by_set(items, run.in_sample, source_text)["dev"]
    assert cv.verbatim == seen.verbatim == 1.0
    assert seen.hit_at_5 >= cv.hit_at_5 - 0.1  # in-sample is not worse than out-of-fold by much: it saw the answers
