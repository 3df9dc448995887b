"""Tests for thread context in Slack: writing an answer's filters to message metadata and reading them back."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.answer import Filters
from bot.slack.thread import from_metadata, from_replies, to_metadata

filters_strategy = st.builds(
    Filters,
    st.lists(st.text(min_size=1, max_size=30), max_size=3).map(tuple),
    st.one_of(st.none(), st.integers(1990, 2040)),
    st.one_of(st.none(), st.integers(1990, 2040)),
    st.one_of(st.none(), st.sampled_from(["focused_visit", "ilacs_inspection", "news"])),
    st.lists(st.sampled_from(["North West", "London", "South East"]), max_size=2, unique=True).map(tuple),
    st.one_of(st.none(), st.sampled_from(["quotes", "grades", "grades_list", "improvement", "facts"])),
)


@given(filters_strategy, st.text(min_size=1, max_size=20))
def test_metadata_round_trips_and_has_no_nulls(filters, answer_id):
    """Filters written into message metadata read back the same, and no value is null (Slack rejects nulls)."""
    metadata = to_metadata(filters, answer_id)
    assert None not in metadata["event_payload"].values()
    assert from_metadata(metadata) == filters


@pytest.mark.parametrize("metadata", [None, {}, {"event_type": "other"}, {"event_type": "findings_answer"},
                                      {"event_type": "findings_answer", "event_payload": "x"}])
def test_metadata_that_is_not_an_answers_reads_as_none(metadata):
    """Missing, foreign or malformed metadata is not an answer."""
    assert from_metadata(metadata) is None


def test_replies_give_the_bots_latest_answer_only():
    """From a thread's messages, the filters of the bot's latest answer are used; other apps' metadata is not."""
    answer = to_metadata(Filters(("Dorset",)), "a1")
    later = to_metadata(Filters(("Dorset",), 2020), "a2")
    messages = [
        {"user": "U1", "ts": "1"},
        {"bot_id": "BBOT", "user": "UBOT", "ts": "2", "metadata": answer},
        {"bot_id": "BOTHER", "ts": "3", "metadata": to_metadata(Filters(("Essex",)), "x")},
        {"bot_id": "BBOT", "ts": "4", "metadata": later},
        {"bot_id": "BBOT", "ts": "5", "text": "Sorry — something went wrong"},
    ]
    assert from_replies(messages, "UBOT", "BBOT") == Filters(("Dorset",), 2020)
    assert from_replies(messages[:1] + messages[2:3], "UBOT", "BBOT") is None
