"""Tests for training by grouped cross-validation, on the real engine over the shipped knowledge base."""

import numpy as np
import pytest

from bot.evaluation.questions import Gold, Question, load_questions
from bot.evaluation.recall import candidate_recall
from bot.evaluation.training import (
    candidate_labels,
    cross_validate,
    fold_councils,
    fold_of_groups,
    item_fold,
    metrics_by_set,
    prepare_items,
    question_group,
    rescored,
)
from bot.retrieval.features import FEATURES
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


@pytest.mark.slow
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


def test_each_fold_lists_every_council_its_questions_touch(items):
    """A fold's councils cover each of its questions' gold councils and named councils, so its reranker can leave
    them all out."""
    folds = fold_councils(items, seed=0, k=3)
    fold_of_group = fold_of_groups(items, 0, 3)
    council_of = {rid: r.local_authority for rid, r in items[0].answerer.knowledge.reports.items()}
    for item in items:
        touched = {council_of[g.report] for g in item.question.gold if g.report in council_of}
        assert touched <= folds[item_fold(item, fold_of_group, 3)]


def test_a_fold_reranker_rewrites_only_the_cross_encoder_columns(items, answerer):
    """Rescoring with another reranker and the same first stage changes only the cross-encoder's columns; with the
    shipped pair it gives back exactly what answering computed."""
    item = next(i for i in items if i.prepared.candidates)

    class Constant:
        def scores(self, question, passages):
            return np.full(len(passages), 3.0, dtype=np.float32)

    again = rescored(item, Constant(), answerer.ranker.first)
    width = len(FEATURES)
    assert np.array_equal(again.prepared.features[:, :width], item.prepared.features[:, :width])
    assert again.prepared.read == item.prepared.read
    assert (again.prepared.features[again.prepared.read, width] == 3.0).all()
    same = rescored(item, answerer.reranker, answerer.ranker.first)
    assert same.prepared.features.tolist() == item.prepared.features.tolist()


def test_candidate_recall_grows_with_the_shortlist(items):
    """The share of questions whose gold the cross-encoder can read never falls as it reads more."""
    recall = candidate_recall(items)
    depths = [recall[f"shortlist@{d}"] for d in (8, 16, 24, 32, 48, 64)]
    assert depths == sorted(depths) and depths[-1] <= recall["candidates"] <= 1.0
