"""A load driver: signed @mentions sent to the HTTP server many at a time, with ack and answer times."""

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from tests.slack_fake import BOT_USER, FakeSlack, event_body, message_event, post_signed


@dataclass
class Load:
    """What a load run saw: per-event HTTP status, ack seconds, answer seconds and reply counts."""

    statuses: list[int] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)
    replies: dict[str, int] = field(default_factory=dict)


def drive(url: str, fake: FakeSlack, questions: list[str], *, concurrency: int, timeout: float = 120.0,
          users: int = 50) -> Load:
    """Post one signed app_mention per question, `concurrency` at a time, from `users` people in turn, then wait
    for every threaded reply."""
    sent: dict[str, float] = {}
    load = Load()

    def one(index: int) -> tuple[int, float]:
        ts = f"1800000000.{index:06d}"
        event = message_event(f"<@{BOT_USER}> {questions[index]}", ts=ts, kind="app_mention",
                              user=f"U0LOAD{index % users:03d}")
        body = json.dumps(event_body(event, f"EvLoad{index:06d}"))
        sent[ts] = time.monotonic()
        status, _ = post_signed(url, body, "application/json")
        return status, time.monotonic() - sent[ts]

    with ThreadPoolExecutor(concurrency) as pool:
        for status, ack in pool.map(one, range(len(questions))):
            load.statuses.append(status)
            load.acks.append(ack)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(first_replies(fake, sent)) < len(sent):
        time.sleep(0.05)
    time.sleep(0.5)  # a duplicate reply would arrive about as fast as the first
    firsts = first_replies(fake, sent)
    load.answers = [firsts[ts] - sent[ts] for ts in sent if ts in firsts]
    with fake._lock:
        threads = [c.body.get("thread_ts") for c in fake.calls if c.method == "chat.postMessage"]
    load.replies = {ts: threads.count(ts) for ts in sent}
    return load


def first_replies(fake: FakeSlack, sent: dict[str, float]) -> dict[str, float]:
    """When the first reply to each sent event's thread arrived."""
    firsts: dict[str, float] = {}
    with fake._lock:
        for call in fake.calls:
            ts = call.body.get("thread_ts")
            if call.method == "chat.postMessage" and ts in sent and ts not in firsts:
                firsts[ts] = call.at
    return firsts
