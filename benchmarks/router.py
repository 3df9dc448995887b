"""Check the router against the catalogue and time it: grade lists agree with catalogue.csv, and routing is quick.

For each of the four grades, "which councils are <grade>?" must list exactly the councils whose latest graded
inspection has that overall effectiveness, and where catalogue.csv states that grade it must be the same; for
each judgement area the list must agree with the judgements extracted at ingest. Then the time to route each
example question in route_examples.csv, with and without the frame embedding (which the ranker needs anyway).

Usage: PYTHONPATH=. python benchmarks/router.py --chroma-path DIR CATALOGUE.csv [CATALOGUE.csv ...]
"""

import argparse
import csv
import time
from importlib import resources
from pathlib import Path

from bot.answer import Filters
from bot.cli.wiring import build_engine
from bot.evaluation.metrics import percentile
from bot.language.grades import GRADES, HELP, LEADERS, LEAVERS, OVERALL, short_name
from bot.language.reports import graded_types
from bot.leaders.standing import grade_of
from bot.logs import configure_logging
from bot.retrieval.intent import answer_kind, intent_features
from bot.retrieval.query import parse_query
from bot.retrieval.question import adjusted
from bot.settings import Settings

QUESTION = "which councils are {grade}{area}?"


def catalogue_grades(paths: list[Path]) -> dict[str, str]:
    """Each report's overall effectiveness as the catalogue states it (blank where the catalogue has none)."""
    rows = [row for path in paths for row in csv.DictReader(path.open(encoding="utf-8"))]
    return {row["slug"]: row["overall_effectiveness"] for row in rows}


def listed(reason: str) -> set[str]:
    """The councils named in a grades-list answer's second line, 'Dorset (2025), Kent (2022)'."""
    lines = reason.split("\n")
    if len(lines) < 2:
        return set()
    return {name.rsplit(" (", 1)[0].strip() for name in lines[1].split("), ") if name.strip()}


def agreement(engine, catalogue: dict[str, str]) -> list[str]:
    """One line per question: how many councils listed, how many expected, and any difference."""
    knowledge, out = engine.knowledge, []
    latest = {}
    for report in sorted(knowledge.reports.values(), key=lambda r: (r.published, r.id)):
        if report.report_type in graded_types() and report.judgements:
            latest[report.local_authority] = report
    for area in (OVERALL, HELP, LEAVERS, LEADERS):
        for grade in GRADES:
            named = "" if area == OVERALL else f" for {short_name(area).lower()}"
            question = QUESTION.format(grade=grade.lower(), area=named)
            answer = engine.ask(question)
            got = listed(answer.reason) if answer.route == "grades_list" else set()
            expected = {la for la, r in latest.items() if (g := grade_of(r, area, knowledge)) and g.grade == grade}
            differ = sorted(got ^ expected)
            if area == OVERALL:  # where the catalogue states the grade, it must say the same
                differ += [f"catalogue: {la}" for la, r in latest.items()
                           if catalogue.get(r.id) and (catalogue[r.id] == grade) != (la in expected)]
            out.append(f"{question:60} route {answer.route:12} listed {len(got):3} expected {len(expected):3} "
                       f"{'DIFFER ' + str(differ) if differ else 'agree'}")
    return out


def routing_times(engine) -> tuple[list[float], list[float]]:
    """Milliseconds to route each example question: with its frame embedding, and the rest alone."""
    text = resources.files("bot").joinpath("data/route_examples.csv").read_text(encoding="utf-8")
    questions = [row["question"] for row in csv.DictReader(text.splitlines())]
    reader = engine.reader
    whole, without = [], []
    for question in questions:
        started = time.perf_counter()
        parsed = parse_query(question)
        vector_at = time.perf_counter()
        vector = reader.embedder.embed([parsed.frame_text or parsed.text])[0]
        embedded = time.perf_counter()
        routes = reader.intents.probabilities(intent_features(vector, parsed))
        adjusted(answer_kind(routes), parsed, Filters())
        done = time.perf_counter()
        whole.append((done - started) * 1000)
        without.append((done - embedded + vector_at - started) * 1000)
    return whole, without


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("catalogues", type=Path, nargs="+")
    parser.add_argument("--chroma-path", type=Path, required=True)
    args = parser.parse_args()
    configure_logging("WARNING", "json")
    engine = build_engine(Settings(_env_file=None, chroma_path=args.chroma_path))
    engine.ask("warm the model and the keyword index")
    print(f"{len(engine.knowledge.reports)} reports")
    lines = agreement(engine, catalogue_grades(args.catalogues))
    print("\n".join(lines))
    print(f"{sum('agree' in line for line in lines)}/{len(lines)} grade lists agree")
    whole, without = routing_times(engine)
    print(f"routing {len(whole)} example questions: p50 {percentile(whole, 50):.1f} ms, p95 "
          f"{percentile(whole, 95):.1f} ms with the frame embedding; p50 {percentile(without, 50):.2f} ms, "
          f"p95 {percentile(without, 95):.2f} ms without it")


if __name__ == "__main__":
    main()
