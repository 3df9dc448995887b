"""Measure answer latency in one process, as a bot replica sees it: a first pass over the questions (each council
asked about for the first time, so its vectors are read from the store) and a second, warm pass.

With --router the questions go through the router (what Slack and `findings ask` use), not the quotes engine alone.

Usage: PYTHONPATH=. python benchmarks/query.py --chroma-path DIR [--router] QUESTIONS.jsonl
"""

import argparse
import json
import time
from pathlib import Path

from bot.cli.wiring import build_answerer, build_engine
from bot.evaluation.metrics import percentile
from bot.logs import configure_logging
from bot.settings import Settings


def timed_pass(answerer, questions: list[str]) -> list[float]:
    """Milliseconds per question, in order."""
    out = []
    for question in questions:
        started = time.perf_counter()
        answerer.ask(question)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", type=Path)
    parser.add_argument("--chroma-path", type=Path, required=True)
    parser.add_argument("--router", action="store_true")
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    started = time.perf_counter()
    build = build_engine if args.router else build_answerer
    answerer = build(Settings(_env_file=None, chroma_path=args.chroma_path))
    loaded = time.perf_counter() - started
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    answerer.ask("warm the model and the keyword index")
    knowledge = answerer.knowledge
    print(f"{len(knowledge.reports)} reports, {len(knowledge.chunks)} chunks; loaded in {loaded:.1f} s")
    for label in ("first pass (cold per council)", "second pass (warm)"):
        ms = timed_pass(answerer, questions)
        print(f"{label}: p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
              f"max {max(ms):.0f} ms over {len(ms)} questions")


if __name__ == "__main__":
    main()
