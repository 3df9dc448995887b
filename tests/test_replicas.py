"""Two real `findings serve` replicas on one Chroma server and one Redis: every event answered exactly once.

Slack is the loopback fake; each event is a real signed HTTP request to a replica's uvicorn server, and a
Slack retry is the same event again with X-Slack-Retry-Num, sent to the other replica as a load balancer would.
"""

import json
import shutil
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import ingest
from tests.conftest import KNOWLEDGE
from tests.replica import Replica
from tests.slack_fake import (
    BOT_USER,
    action_form,
    action_payload,
    command_form,
    event_body,
    message_event,
    post_signed,
    running_fake,
)

REPORTS = ("dorset-focused-visit-2023-06-22.md", "dorset-ilacs-2025-05-09.md", "essex-focused-visit-2021-11-22.md")
QUESTIONS = ("How are care leavers supported in Dorset?", "What needs to improve in Dorset?",
             "What did Ofsted say about personal advisers in Essex?", "How was Dorset graded?",
             "Which councils are outstanding?", "What about the weather in Surrey?")
RATE_LIMIT = 5


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, chroma_server, redis_url, embedder):
    """A Chroma collection of three real reports, the fake Slack, two replicas (a third not started) and the
    Redis key prefix they share."""
    root = tmp_path_factory.mktemp("replicas")
    folder = root / "knowledge"
    folder.mkdir()
    for name in REPORTS:
        shutil.copy(KNOWLEDGE / name, folder / name)
    collection = f"replicas-{uuid.uuid4().hex[:8]}"
    url = chroma_server.start()
    settings = Settings(_env_file=None, chroma_url=url, collection=collection)
    assert ingest([folder], open_store(settings, embedder.model_id), embedder, max_bytes=10**7).added == 3
    prefix = f"findings-test:{uuid.uuid4().hex[:8]}:"
    with running_fake() as fake:
        shared = {"CHROMA_URL": url, "COLLECTION": collection, "REDIS_URL": redis_url, "REDIS_PREFIX": prefix,
                  "SLACK_RATE_LIMIT": str(RATE_LIMIT), "ANSWER_WORKERS": "4"}
        replicas = [Replica(fake.api_url, root, **shared) for _ in range(3)]
        for replica in replicas[:2]:
            replica.start()
        try:
            yield fake, replicas, prefix
        finally:
            for replica in replicas:
                replica.stop()


def _event(text: str, n: int, tag: str, user: str) -> tuple[str, str]:
    """A signed-ready app_mention body and its ts (each thread is one event's replies)."""
    ts = f"1900000000.{n:06d}"
    event = message_event(f"<@{BOT_USER}> {text}", ts=ts, kind="app_mention", user=user)
    return json.dumps(event_body(event, f"Ev{tag}{n:06d}")), ts


def _send(replica: Replica, body: str, retry: int = 0) -> tuple[int, float]:
    """POST one event, as Slack or as Slack's retry; (status, seconds to the ack). A dead replica is status 0."""
    headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
    started = time.monotonic()
    try:
        status, _ = post_signed(replica.url, body, "application/json", headers=headers)
    except OSError:
        status = 0
    return status, time.monotonic() - started


def _replies(fake, thread_ts: set[str]) -> dict[str, int]:
    """How many answers the bot posted into each of the threads."""
    counts = dict.fromkeys(thread_ts, 0)
    for body in fake.bodies("chat.postMessage"):
        if body.get("thread_ts") in counts:
            counts[body["thread_ts"]] += 1
    return counts


def _wait_for_replies(fake, thread_ts: set[str], timeout: float = 120.0) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(_replies(fake, thread_ts).values()):
        time.sleep(0.1)
    time.sleep(1.0)  # a duplicate would come about as fast as the first
    return _replies(fake, thread_ts)


def _warnings(fake, user: str) -> list[dict]:
    return [b for b in fake.bodies("chat.postEphemeral") if b["user"] == user]


def test_one_event_sent_to_both_replicas_and_retried_gets_exactly_one_reply(cluster):
    """The same signed event to both replicas at once, then a Slack retry to each: one reply in all."""
    fake, (first, second, _), _ = cluster
    body, ts = _event(QUESTIONS[0], 1, "Both", "U0BOTH")
    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(lambda r: _send(r, body)[0], (first, second)))
    retries = [_send(second, body, retry=1)[0], _send(first, body, retry=2)[0]]
    assert statuses == [200, 200] and retries == [200, 200]
    assert _wait_for_replies(fake, {ts}) == {ts: 1}


@pytest.mark.slow
def test_200_mentions_over_two_replicas_with_retries_are_each_answered_once(cluster):
    """200 mentions from 50 users, 20 at a time, alternating replicas, every tenth retried on the other replica:
    every request acked 200 in under 3 s, and every question answered exactly once."""
    fake, (first, second, _), _ = cluster
    events = [_event(QUESTIONS[n % len(QUESTIONS)], n, "Load", f"U0LOAD{n % 50:03d}") for n in range(200)]

    def deliver(n: int) -> list[tuple[int, float]]:
        body, _ = events[n]
        home, other = (first, second) if n % 2 else (second, first)
        sent = [_send(home, body)]
        if n % 10 == 0:
            sent.append(_send(other, body, retry=1))
        return sent

    with ThreadPoolExecutor(20) as pool:
        acks = [ack for sent in pool.map(deliver, range(200)) for ack in sent]
    assert len(acks) == 220 and {status for status, _ in acks} == {200}
    assert max(seconds for _, seconds in acks) < 3.0
    replies = _wait_for_replies(fake, {ts for _, ts in events})
    assert set(replies.values()) == {1}, {ts: n for ts, n in replies.items() if n != 1}
    failed = [b for b in fake.bodies("chat.postMessage") if "something went wrong" in b.get("text", "")]
    assert not failed


@pytest.mark.slow
def test_a_replica_killed_mid_load_loses_nothing_and_doubles_nothing(cluster):
    """SIGKILL one replica while it answers; Slack's retries of what it left unanswered go to the survivor:
    every question is answered, none twice."""
    fake, (_, survivor, doomed), _ = cluster
    doomed.start()
    # Each question differs, so the answer memo cannot answer them all at once and the kill always leaves work.
    events = [_event(f"{QUESTIONS[n % len(QUESTIONS)]} (case {n})", 1000 + n, "Kill", f"U0KILL{n % 40:03d}")
              for n in range(80)]
    threads = {ts for _, ts in events}
    with ThreadPoolExecutor(20) as pool:
        sending = [pool.submit(_send, doomed, body) for body, _ in events]
        deadline = time.monotonic() + 60
        while not any(_replies(fake, threads).values()) and time.monotonic() < deadline:
            time.sleep(0.02)
        doomed.kill()  # some answered, some in hand, some not yet received
        statuses = [f.result()[0] for f in sending]
    assert statuses.count(200) > 0  # it had taken events before it died
    # Slack retries whatever was not acked, and (here, to exercise takeover) whatever is not yet answered.
    time.sleep(0.5)
    answered = _replies(fake, {ts for _, ts in events})
    unanswered = [body for body, ts in events if not answered[ts]]
    with ThreadPoolExecutor(20) as pool:
        assert set(pool.map(lambda body: _send(survivor, body, retry=1)[0], unanswered)) <= {200}
    replies = _wait_for_replies(fake, {ts for _, ts in events}, timeout=120)
    assert set(replies.values()) == {1}, {ts: n for ts, n in replies.items() if n != 1}
    assert unanswered  # the kill left work for the survivor to take over
    assert '"slack.takeover"' in survivor.log()  # the dead replica's claims were taken over, not dropped


def test_the_rate_limit_counts_a_users_questions_on_both_replicas_together(cluster):
    """With a limit of 5 a minute, six questions alternating replicas: five answers, then one 'slow down'."""
    fake, (first, second, _), _ = cluster
    events = [_event(QUESTIONS[n % len(QUESTIONS)], 5000 + n, "Rate", "U0RATE") for n in range(RATE_LIMIT + 1)]
    for n, (body, _) in enumerate(events[:RATE_LIMIT]):
        assert _send((first, second)[n % 2], body)[0] == 200
    replies = _wait_for_replies(fake, {ts for _, ts in events[:RATE_LIMIT]})
    assert set(replies.values()) == {1}
    assert _send(second, events[-1][0])[0] == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not _warnings(fake, "U0RATE"):
        time.sleep(0.1)
    [warning] = _warnings(fake, "U0RATE")
    assert "ask again in" in warning["text"]
    assert _replies(fake, {events[-1][1]}) == {events[-1][1]: 0}


def test_an_answer_shared_on_the_other_replica_keeps_no_personal_words_in_redis(cluster, redis_url):
    """An answer given on one replica is shared from the other; a question that looked like personal data is kept
    in Redis without its words, and the shared post leaves them out."""
    fake, (first, second, _), prefix = cluster
    reply_url = fake.response_url("privacy")
    form = command_form("Dorset: care leavers for AB 12 34 56 C?", reply_url, user="U0PRIV")
    assert post_signed(first.url, form, "application/x-www-form-urlencoded")[0] == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(fake.bodies("response_url")) < 2:
        time.sleep(0.1)
    client = redis.Redis.from_url(redis_url)
    kept = [client.get(key) for key in client.scan_iter(match=prefix + "recent:*")]
    assert kept and not [v for v in kept if b"AB 12" in v]
    answer = next(b for b in fake.bodies("response_url") if b.get("blocks") and "personal data" not in b["text"])
    [button] = [e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "findings_share"]
    payload = action_payload("findings_share", button["value"], reply_url)
    body = action_form(payload)
    before = len(fake.bodies("chat.postMessage"))
    assert post_signed(second.url, body, "application/x-www-form-urlencoded")[0] == 200
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(fake.bodies("chat.postMessage")) == before:
        time.sleep(0.1)
    shared = fake.bodies("chat.postMessage")[before:]
    assert shared and "AB 12" not in json.dumps(shared) and "shared an answer from /findings" in json.dumps(shared)
