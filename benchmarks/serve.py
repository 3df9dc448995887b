"""Measure `findings serve` in HTTP mode: Slack ack latency and time to answer under concurrent signed
@mentions, and each server's peak RSS, against whatever knowledge base CHROMA_PATH / CHROMA_URL hold.

Slack is the loopback fake from the tests. Questions come from an eval file, cycled to --events, from 50 users.
With --replicas 2 the events alternate between two replicas (give --chroma-url and --redis-url, as in
production), and --retry-every N sends every Nth event again, as a Slack retry, to the other replica.
--code DIR runs another checkout's bot (a git worktree of an earlier commit) for a before/after comparison.

Usage: PYTHONPATH=. python benchmarks/serve.py [--chroma-path DIR | --chroma-url URL] [--redis-url URL]
       [--replicas 1|2] [--retry-every N] [--code DIR] [--events 200] [--concurrency 20] [QUESTIONS.jsonl]
"""

import argparse
import json
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bot.evaluation.metrics import percentile
from tests.replica import Replica
from tests.slack_fake import BOT_USER, event_body, message_event, post_signed, running_fake
from tests.slack_load import first_replies

USERS = 50


def peak_rss_mib(pid: int) -> float:
    """The process's high-water resident set (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children_rss_mib(pid: int) -> float:
    """The peak resident sets of a process's children (the chart-drawing process), in MiB."""
    kids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("PPid:"))
        except (OSError, StopIteration):
            continue
        if ppid == str(pid):
            kids.append(int(status.parent.name))
    return sum(peak_rss_mib(kid) for kid in kids)


def settled_uploads(fake, quiet: float = 3.0, limit: float = 120.0) -> int:
    """How many files were uploaded, once none has arrived for `quiet` seconds: charts follow their answers."""
    deadline, count, since = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < deadline:
        now = len(fake.uploads())
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            break
        time.sleep(0.1)
    return count


def send(url: str, body: str, retry: int = 0) -> tuple[int, float]:
    """POST one signed event (or Slack's retry of it); (status, seconds to the ack)."""
    headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
    started = time.monotonic()
    status, _ = post_signed(url, body, "application/json", headers=headers)
    return status, time.monotonic() - started


def run_load(fake, replicas: list[Replica], questions: list[str], concurrency: int, retry_every: int) -> dict:
    """Send every question, wait for every reply; acks, answer times and reply counts per event."""
    sent: dict[str, float] = {}
    bodies = []
    for n, question in enumerate(questions):
        ts = f"1800000000.{n:06d}"
        event = message_event(f"<@{BOT_USER}> {question}", ts=ts, kind="app_mention", user=f"U0LOAD{n % USERS:03d}")
        bodies.append((ts, json.dumps(event_body(event, f"EvBench{n:06d}"))))

    def deliver(n: int) -> list[tuple[int, float]]:
        ts, body = bodies[n]
        home = replicas[n % len(replicas)]
        sent[ts] = time.monotonic()
        out = [send(home.url, body)]
        if retry_every and n % retry_every == 0:
            out.append(send(replicas[(n + 1) % len(replicas)].url, body, retry=1))
        return out

    with ThreadPoolExecutor(concurrency) as pool:
        acks = [ack for out in pool.map(deliver, range(len(bodies))) for ack in out]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and len(first_replies(fake, sent)) < len(sent):
        time.sleep(0.05)
    time.sleep(1.0)  # a duplicate would come about as fast as the first
    firsts = first_replies(fake, sent)
    threads = [b.get("thread_ts") for b in fake.bodies("chat.postMessage")]
    return {"acks": acks, "answers": [firsts[ts] - sent[ts] for ts in sent if ts in firsts],
            "replies": {ts: threads.count(ts) for ts in sent}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", nargs="?", default="eval/dev.jsonl", type=Path)
    parser.add_argument("--chroma-path", type=Path)
    parser.add_argument("--chroma-url")
    parser.add_argument("--redis-url")
    parser.add_argument("--collection", default="findings")
    parser.add_argument("--replicas", type=int, default=1, choices=(1, 2))
    parser.add_argument("--retry-every", type=int, default=0)
    parser.add_argument("--code", type=Path, help="another checkout whose bot/ to serve")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [rows[i % len(rows)]["question"] for i in range(args.events)]
    settings = {"COLLECTION": args.collection, "LOG_LEVEL": "WARNING"}
    settings |= {"CHROMA_URL": args.chroma_url} if args.chroma_url else {"CHROMA_PATH": str(args.chroma_path)}
    settings |= {"REDIS_URL": args.redis_url, "REDIS_PREFIX": f"bench:{time.time_ns()}:"} if args.redis_url else {}
    folder = Path(tempfile.mkdtemp(prefix="findings-bench-"))
    with running_fake() as fake:
        replicas = [Replica(fake.api_url, folder, code=args.code, **settings) for _ in range(args.replicas)]
        try:
            started = time.monotonic()
            for replica in replicas:
                replica.start()
            ready = time.monotonic() - started
            started = time.monotonic()
            load = run_load(fake, replicas, questions, args.concurrency, args.retry_every)
            elapsed = time.monotonic() - started
            charts = settled_uploads(fake)
            rss = [peak_rss_mib(r.process.pid) for r in replicas]
            drawing = [children_rss_mib(r.process.pid) for r in replicas]
            routes = [(b.get("metadata") or {}).get("event_payload", {}).get("route")
                      for b in fake.bodies("chat.postMessage")]
            graded = sum(1 for route in routes if route in ("grades", "grades_list"))
        finally:
            for replica in replicas:
                replica.stop()
    acks = [seconds for _, seconds in load["acks"]]
    errors = sum(1 for status, _ in load["acks"] if status != 200)
    counts = list(load["replies"].values())
    print(f"{args.replicas} replica(s) of {args.code or 'this checkout'} ready in {ready:.1f} s; peak RSS "
          f"{', '.join(f'{r:.0f}' for r in rss)} MiB (drawing process {', '.join(f'{r:.0f}' for r in drawing)} MiB)")
    print(f"{graded} grades answers; {charts} charts uploaded after them")
    print(f"{args.events} signed @mentions ({len(acks) - args.events} retries), {args.concurrency} at a time, in "
          f"{elapsed:.1f} s: {errors} HTTP errors; answered once {counts.count(1)}, twice or more "
          f"{sum(c > 1 for c in counts)}, never {counts.count(0)}")
    print(f"ack  p50 {percentile(acks, 50) * 1000:.0f} ms, p99 {percentile(acks, 99) * 1000:.0f} ms, "
          f"max {max(acks) * 1000:.0f} ms")
    if load["answers"]:
        answers = load["answers"]
        print(f"time to answer p50 {percentile(answers, 50):.2f} s, p99 {percentile(answers, 99):.2f} s, "
              f"max {max(answers):.2f} s")


if __name__ == "__main__":
    main()
