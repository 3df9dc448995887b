"""Tests for the BM25 keyword index."""

import numpy as np

from bot.retrieval.keyword import KeywordIndex, tokenize

TEXTS = [
    "Care leavers have personal advisers who know them well.",
    "The LADO service is not effective.",
    "Supervision is regular and reflective.",
    "Personal advisers' caseloads are too high for care leavers.",
]


def test_tokenize_folds_plurals_possessives_and_stopwords():
    """Plurals and possessives fold to one form and question words are dropped."""
    assert tokenize("What did Ofsted say about the PAs' caseloads and care leavers?") == [
        "pa", "caseload", "care", "leaver"
    ]


def test_search_ranks_the_document_with_the_rare_term_first():
    """A rare query term decides the ranking."""
    hits = KeywordIndex(TEXTS).search("is the LADO effective", 4)
    assert hits[0].index == 1


def test_mask_restricts_results():
    """Documents outside the allowed mask are never returned."""
    index = KeywordIndex(TEXTS)
    allowed = np.array([False, False, False, True])
    assert [h.index for h in index.search("care leavers personal advisers", 4, allowed)] == [3]


def test_unknown_terms_and_empty_index_give_nothing():
    """A query of unseen words, or an empty index, returns no hits rather than failing."""
    assert KeywordIndex(TEXTS).search("zebra xylophone", 3) == []
    assert KeywordIndex([]).search("care", 3) == []


def test_idf_is_higher_for_rarer_terms():
    """A term in one document weighs more than a term in two."""
    index = KeywordIndex(TEXTS)
    assert index.idf("lado") > index.idf("care")
