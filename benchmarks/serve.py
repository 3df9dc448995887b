"""Measure `findings serve` in HTTP mode: Slack ack latency and time to answer under concurrent signed
@mentions, and the server's peak RSS, against whatever knowledge base CHROMA_PATH / CHROMA_URL hold.

Slack is the loopback fake from the tests. Questions come from an eval file, cycled to --events.

Usage: PYTHONPATH=. python benchmarks/serve.py --chroma-path DIR [--events 200] [--concurrency 20] [QUESTIONS.jsonl]
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot.evaluation import percentile
from tests.slack_fake import BOT_TOKEN, SIGNING_SECRET, running_fake
from tests.slack_load import drive


def free_port() -> int:
    """A TCP port nothing is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 180.0) -> float:
    """Poll /healthz until it answers 200; returns the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise SystemExit(f"findings serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise SystemExit("findings serve did not become healthy")


def peak_rss_mib(pid: int) -> float:
    """The process's high-water resident set (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", nargs="?", default="tests/fixtures/eval/dev.jsonl", type=Path)
    parser.add_argument("--chroma-path", type=Path)
    parser.add_argument("--chroma-url")
    parser.add_argument("--collection", default="findings")
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [rows[i % len(rows)]["question"] for i in range(args.events)]
    port = free_port()
    with running_fake() as fake:
        env = {
            **os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": fake.api_url, "HOST": "127.0.0.1", "PORT": str(port), "COLLECTION": args.collection,
            "LOG_LEVEL": "WARNING", "LOG_FORMAT": "json", "FEEDBACK_PATH": "/tmp/findings-bench-feedback.sqlite3",
        }
        if args.chroma_url:
            env["CHROMA_URL"] = args.chroma_url
        if args.chroma_path:
            env["CHROMA_PATH"] = str(args.chroma_path)
        server = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=env, stdout=subprocess.DEVNULL)
        try:
            ready = wait_healthy(f"http://127.0.0.1:{port}/healthz", server)
            url = f"http://127.0.0.1:{port}/slack/events"
            rss_ready = peak_rss_mib(server.pid)
            started = time.monotonic()
            load = drive(url, fake, questions, concurrency=args.concurrency, timeout=600)
            elapsed = time.monotonic() - started
            rss_peak = peak_rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait(30)
    errors = sum(1 for s in load.statuses if s != 200)
    once = sum(1 for n in load.replies.values() if n == 1)
    print(f"serve ready in {ready:.1f} s; peak RSS {rss_ready:.0f} MiB when ready, {rss_peak:.0f} MiB after the load")
    print(f"{args.events} signed @mentions, {args.concurrency} at a time, in {elapsed:.1f} s: "
          f"{errors} HTTP errors, {once}/{args.events} answered exactly once")
    print(f"ack  p50 {percentile(load.acks, 50) * 1000:.0f} ms, p99 {percentile(load.acks, 99) * 1000:.0f} ms, "
          f"max {max(load.acks) * 1000:.0f} ms")
    if load.answers:
        print(f"time to answer p50 {percentile(load.answers, 50):.2f} s, p99 {percentile(load.answers, 99):.2f} s, "
              f"max {max(load.answers):.2f} s")


if __name__ == "__main__":
    main()
