"""Commands that answer questions: `ask` one, `eval` a labelled set, `validate` a labelled set, `demo` three."""

import json
import sys
from collections import Counter
from pathlib import Path

import click

from bot.answer import Filters
from bot.attribution import render_text
from bot.cli.library import print_summary, run_ingest
from bot.cli.shell import fail
from bot.cli.wiring import build_answerer, build_engine, report_lookup, source_reader
from bot.evaluation.metrics import run_eval
from bot.evaluation.questions import load_questions
from bot.evaluation.scorecard import format_metrics, metrics_json
from bot.evaluation.validation import check_questions, coverage
from bot.language.reports import held_types
from bot.settings import Settings

EXAMPLE_QUESTIONS = (
    "how are care leavers' PAs doing in Essex?",
    "What did Ofsted say about supervision in Dorset?",
    "which councils were told to improve return home interviews?",
)


@click.command("ask")
@click.argument("question")
@click.option("--la", "local_authority", help="Only this local authority.")
@click.option("--since", type=int, help="Only reports from this year on.")
@click.option("--type", "report_type", type=click.Choice(held_types()), help="Only this kind of report.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.pass_obj
def ask_command(settings: Settings, question: str, local_authority: str | None, since: int | None,
                report_type: str | None, as_json: bool) -> None:
    """Answer QUESTION with verbatim, attributed excerpts, or say that the reports don't answer it."""
    filters = Filters((local_authority,) if local_authority else (), since, None, report_type)
    answer = build_engine(settings).ask(question, filters)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_text(answer))


@click.command("eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write one result line per question.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--quotes-only", is_flag=True, help="Skip the router: every question gets quotes.")
@click.pass_obj
def eval_command(settings: Settings, questions: Path, out: Path | None, as_json: bool, quotes_only: bool) -> None:
    """Run every question in QUESTIONS (JSONL) through the answer path and print hit@k, MRR, abstention, latency."""
    answerer = build_answerer(settings) if quotes_only else build_engine(settings)
    answerer.ask("warm up the model and caches")
    run = run_eval(load_questions(questions), answerer.ask, source_reader(answerer, settings))
    if out:
        out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in run.rows), encoding="utf-8")
    click.echo(json.dumps(metrics_json(run.metrics), indent=1) if as_json else format_metrics(run.metrics))


@click.command("validate")
@click.argument("questions", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reports", "folders", multiple=True, required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path), help="A folder of reports (repeatable).")
def validate_command(questions: tuple[Path, ...], folders: tuple[Path, ...]) -> None:
    """Check labelled QUESTIONS: gold quotes verbatim in their reports, no copied wording; print the spread."""
    loaded = [q for path in questions for q in load_questions(path)]
    duplicates = [i for i, n in Counter(q.id for q in loaded).items() if n > 1]
    lookup = report_lookup(folders)
    problems = check_questions(loaded, lookup)
    for qid in duplicates:
        problems.setdefault(qid, []).append("id used more than once")
    for qid, found in problems.items():
        for problem in found:
            click.echo(f"{qid}: {problem}", err=True)
    spread = coverage(loaded, lookup)
    click.echo(f"{spread.questions} questions, {len(spread.councils)} councils with gold quotes")
    for label, counts in (("kinds", spread.kinds), ("tags", spread.tags), ("report types", spread.report_types)):
        click.echo(f"{label}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    if problems:
        fail(f"{len(problems)} questions have problems", 1)


@click.command("demo")
@click.pass_obj
def demo_command(settings: Settings) -> None:
    """Build the knowledge base if needed, then answer three example questions."""
    result = run_ingest(settings, [settings.knowledge_dir], prune=True, show_progress=sys.stderr.isatty())
    print_summary(result)
    answerer = build_engine(settings)
    for question in EXAMPLE_QUESTIONS:
        click.echo(f"\n### {question}\n")
        click.echo(render_text(answerer.ask(question)))
