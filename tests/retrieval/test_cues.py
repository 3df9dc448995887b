"""Tests for question cues: which follow-ups lean on the question before them."""

import pytest

from bot.retrieval.cues import asks_ofsted, elliptical


@pytest.mark.parametrize("question", ["and for care leavers?", "What about 2019?", "how about Essex",
                                      "same for leadership?", "...and help and protection?"])
def test_short_follow_ups_that_lean_on_the_last_question_are_elliptical(question):
    """A short question opening with 'and', 'what about', 'how about' or 'same for' is elliptical."""
    assert elliptical(question)


@pytest.mark.parametrize("question", ["what did Ofsted say about care leavers?", "Andover's early help",
                                      "and what did inspectors say about the quality of supervision across teams?"])
def test_whole_questions_are_not_elliptical(question):
    """A question that stands on its own, or a long one, is not elliptical."""
    assert not elliptical(question)


@pytest.mark.parametrize("question", ["what did ofsted say about Reading's children in care?",
                                      "what did inspectors find on the front door in Reading?",
                                      "Reading focused visit 2023: care leavers"])
def test_questions_about_what_ofsted_said_ask_for_ofsted(question):
    """A question naming Ofsted, its inspectors or one of its reports asks for Ofsted's own words."""
    assert asks_ofsted(question)


def test_a_question_about_the_news_does_not_ask_for_ofsted():
    """A question that names neither Ofsted nor an inspection may be answered from the news."""
    assert not asks_ofsted("what did the council say about Reading's children's trust?")
