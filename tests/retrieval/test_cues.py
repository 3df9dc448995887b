"""Tests for question cues: which follow-ups lean on the question before them."""

import pytest

from bot.retrieval.cues import elliptical


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
