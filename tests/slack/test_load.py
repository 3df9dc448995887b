"""Load on the HTTP server: 200 signed @mentions, 20 at a time, answered by the real engine over 12 real reports."""

import pytest

from bot.evaluation.metrics import percentile
from tests.slack_fake import make_settings, running_fake, running_http
from tests.slack_load import drive

# Questions staff ask, about the councils the 12 reports cover and across them; answers and refusals both count.
QUESTIONS = [
    "How good is practice with care leavers in Liverpool?",
    "What did inspectors say about the front door in Herefordshire?",
    "Is management oversight strong in Barnsley?",
    "What needs to improve in Norfolk?",
    "How do Essex social workers describe their caseloads?",
    "What did Ofsted find about the quality of supervision in Reading?",
    "Which councils were judged inadequate?",
    "How are children on the edge of care supported?",
    "What did the focused visit to Herefordshire look at?",
    "What is the overall effectiveness grade for Liverpool?",
    "Are disabled children well served in Norfolk?",
    "What did inspectors say about workforce stability?",
    "How timely are assessments in Barnsley?",
    "What did the news say about Reading leaving care services?",
    "How are private fostering arrangements checked?",
    "Has Herefordshire improved since 2022?",
    "What do leaders know about the quality of practice in Essex?",
    "Tell me about corporate parenting in Liverpool",
    "What about the weather in Surrey?",
    "How effective is the multi-agency safeguarding hub?",
]
EVENTS = 200
AT_ONCE = 20


@pytest.mark.slow
def test_200_signed_mentions_are_each_acked_within_3_s_and_answered_exactly_once(tmp_path, leaders_answerer):
    """200 signed @mentions sent 20 at a time are all acked 200 in under 3 s, and each gets exactly one reply,
    none of them a failure."""
    questions = [QUESTIONS[i % len(QUESTIONS)] for i in range(EVENTS)]
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), leaders_answerer) as app:
        load = drive(app.url, fake, questions, concurrency=AT_ONCE, timeout=300)
        replies = fake.bodies("chat.postMessage")
    assert load.statuses == [200] * EVENTS
    assert max(load.acks) < 3.0, f"slowest ack {max(load.acks):.2f} s"
    assert len(load.replies) == EVENTS and set(load.replies.values()) == {1}
    assert len(load.answers) == EVENTS
    assert not [r for r in replies if "something went wrong" in r["text"] or "unavailable" in r["text"]]
    print(
        f"\nload: ack p50 {percentile(load.acks, 50) * 1000:.0f} ms p99 {percentile(load.acks, 99) * 1000:.0f} ms; "
        f"answer p50 {percentile(load.answers, 50):.2f} s p99 {percentile(load.answers, 99):.2f} s"
    )
