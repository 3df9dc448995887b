"""Tests for the reranker's training pairs, read from the written questions."""

from bot.evaluation.pairs import (
    TRAINING_FILE,
    candidates_of,
    load_written,
    split_validation,
    training_pairs,
    without_councils,
)
from bot.language.words import fold_name
from bot.retrieval.reranker import passage


def _answerable(council: str, report: str, n: int) -> dict:
    sentence = {"text": f"Answer {n} about {council}.", "section": "Findings"}
    return {"question": f"question {n} on {council}?", "answerable": True, "council": council, "report": report,
            "answer": sentence, "negatives": [{"text": f"Negative {n}.", "section": "Findings"}],
            "mined": [{"text": f"Mined {n} {m}.", "section": "What needs to improve"} for m in range(3)]}


ITEMS = [_answerable("Dorset", "dorset-2025", 1), _answerable("Dorset", "dorset-2025", 2),
         _answerable("Bristol, City of", "bristol-2019", 3),
         {"question": "how do I reset my password?", "answerable": False, "why": "workplace",
          "mined": [{"text": f"Sentence {m}.", "section": ""} for m in range(5)]}]


def test_each_answerable_question_gives_one_positive_and_its_negatives():
    """A question's answer is its one positive; its writer's, mined and same-report answers are negatives."""
    pairs = training_pairs(ITEMS, seed=0)
    first = [p for p in pairs if p.question == "question 1 on Dorset?"]
    assert [p.passage for p in first if p.label == 1.0] == ["Findings: Answer 1 about Dorset."]
    negatives = {p.passage for p in first if p.label == 0.0}
    assert "Findings: Negative 1." in negatives
    assert "Findings: Answer 2 about Dorset." in negatives  # another question's answer in the same report
    assert sum(p.passage.startswith("What needs to improve: Mined 1") for p in first) == 1


def test_questions_to_refuse_are_negatives_only():
    """A question no report answers is paired with the corpus sentences nearest it, all labelled 0."""
    refused = [p for p in training_pairs(ITEMS, seed=0) if p.question == "how do I reset my password?"]
    assert len(refused) == 3 and all(p.label == 0.0 for p in refused)


def test_pairs_are_the_same_for_a_seed():
    """The same seed gives the same pairs in the same order, and every seed the same positives."""
    assert training_pairs(ITEMS, seed=3) == training_pairs(ITEMS, seed=3)
    positives = [{p for p in training_pairs(ITEMS, seed=s) if p.label == 1.0} for s in (3, 4)]
    assert positives[0] == positives[1] and len(positives[0]) == 3


def test_excluding_councils_compares_folded_names_and_keeps_refusals():
    """A fold's councils are left out whatever their spelling; questions to refuse stay in."""
    kept = without_councils(ITEMS, {"bristol, city of", "DORSET"})
    assert [i["answerable"] for i in kept] == [False]


def test_validation_split_keeps_whole_councils_apart():
    """No council has questions on both sides of the validation split."""
    train, held = split_validation(ITEMS, 0.5, seed=1)
    assert held and train
    assert not {fold_name(i["council"]) for i in train if i["answerable"]} & {fold_name(i["council"]) for i in held}


def test_candidates_list_the_answer_first():
    """The check reads the answer first and then every negative of the question's own report."""
    question, passages = candidates_of(ITEMS[0])
    assert question == "question 1 on Dorset?" and passages[0] == passage("Findings", "Answer 1 about Dorset.")
    assert len(passages) == 5


def test_the_shipped_training_file_meets_the_issue_sizes():
    """The written questions cover 4,000+ answerable pairs over 600+ reports, every kind, and 500+ refusals."""
    items = load_written(TRAINING_FILE)
    answerable = [i for i in items if i["answerable"]]
    assert len(answerable) >= 4000 and len({i["report"] for i in answerable}) >= 600
    assert len(items) - len(answerable) >= 500
    assert {i["kind"] for i in answerable} >= {"finding", "judgement", "improvement", "focus", "service", "fact"}
    assert {i["type"] for i in answerable} >= {"ilacs_inspection", "sif_inspection", "focused_visit"}
    assert all(1 <= len(i["negatives"]) <= 3 for i in answerable)
