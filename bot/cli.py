"""The `findings` command line: a thin shell over the library; `--json` wherever a script may want it."""

import json
import sys
from collections import Counter
from pathlib import Path

import click
import structlog
from pydantic import ValidationError

from bot.answer import Filters
from bot.answerer import Answerer
from bot.attribution import render_text
from bot.embedder import load_embedder, model_files
from bot.errors import ConfigError, InputError, StoreUnavailable
from bot.evaluation import load_questions, run_eval
from bot.feedback import FeedbackStore
from bot.ingest import IngestResult, discover, ingest
from bot.knowledge import Knowledge
from bot.logs import configure_logging
from bot.reader import read_bytes, read_source
from bot.report import REPORT_TYPES
from bot.router import Router
from bot.scorecard import format_metrics, metrics_json
from bot.settings import Settings
from bot.store import drop, open_store
from bot.workers import start_workers

log = structlog.get_logger()


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"findings: {message}", err=True)
    sys.exit(code)


class FindingsGroup(click.Group):
    """A group that turns expected errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ConfigError, InputError) as err:
            _fail(str(err))
        except StoreUnavailable:
            _fail("the knowledge base is unavailable: the Chroma server at CHROMA_URL stopped answering; try again", 3)


@click.group(cls=FindingsGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Findings: what Ofsted inspectors found, quoted word for word."""
    try:
        settings = Settings()
    except ValidationError as err:
        # One line naming each setting and the reason, never the value given: it may be a secret (REDIS_URL).
        _fail("bad setting: " + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                          for e in err.errors()))
    configure_logging(settings.log_level, settings.log_format)
    ctx.obj = settings


def _print_summary(result: IngestResult) -> None:
    click.echo(
        f"added {result.added}, updated {result.updated}, unchanged {result.unchanged}, "
        f"removed {result.removed}, failed {len(result.failed)}; "
        f"{result.chunks} chunks in {result.seconds:.1f} s ({result.chunks_per_second:.1f} chunks/s)"
    )
    for failure in result.failed:
        click.echo(f"failed: {failure.path}: {failure.error}", err=True)


def run_ingest(settings: Settings, paths: list[Path], *, prune: bool, show_progress: bool) -> IngestResult:
    """Ingest paths into the configured store, with a progress bar on a terminal."""
    workers = start_workers(settings)
    try:
        store = open_store(settings, workers.model_id)
        files = discover([p for p in paths if p.exists()])
        options = {"max_bytes": settings.max_file_bytes, "max_pages": settings.max_pdf_pages, "prune": prune}
        if not show_progress:
            return ingest(paths, store, workers, **options)
        with click.progressbar(length=len(files), label="Ingesting", file=sys.stderr) as bar:
            return ingest(paths, store, workers, progress=lambda _path, _n: bar.update(1), **options)
    finally:
        workers.close()


@main.command("ingest")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--prune", is_flag=True, help="Remove reports whose files are gone.")
@click.option("--rebuild", is_flag=True, help="Drop the knowledge base first and build it again.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def ingest_command(settings: Settings, paths: tuple[Path, ...], prune: bool, rebuild: bool, as_json: bool) -> None:
    """Add reports (PDF, Markdown, text, HTML) from PATHS, default KNOWLEDGE_DIR; unchanged files cost nothing."""
    if rebuild:
        drop(settings)
    targets = list(paths) or [settings.knowledge_dir]
    try:
        result = run_ingest(settings, targets, prune=prune, show_progress=not as_json and sys.stderr.isatty())
    except KeyboardInterrupt:
        _fail("interrupted; what was committed is kept, run ingest again to finish", 130)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        _print_summary(result)
    if result.failed:
        sys.exit(1)


@main.command("sources")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@click.pass_obj
def sources_command(settings: Settings, as_json: bool) -> None:
    """List the reports in the knowledge base."""
    store = open_store(settings, model_files(settings).model_id)
    rows = []
    for stored in sorted(store.reports().values(), key=lambda s: (s.report.local_authority, s.report.published)):
        r = stored.report
        rows.append({
            "id": r.id, "title": r.title, "local_authority": r.local_authority, "report_type": r.report_type,
            "published": r.published, "url": r.url, "chunks": stored.chunks,
            "overall_effectiveness": r.overall_effectiveness, "judgements": r.judgements,
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for row in rows:
        grade = f" · {row['overall_effectiveness']}" if row["overall_effectiveness"] else ""
        click.echo(f"{row['published']:<10}  {row['local_authority']:<24} {row['report_type']:<16} {row['id']}{grade}")
    las = {row["local_authority"] for row in rows if row["local_authority"]}
    click.echo(f"{len(rows)} reports on {len(las)} local authorities")


EXAMPLE_QUESTIONS = (
    "how are care leavers' PAs doing in Essex?",
    "What did Ofsted say about supervision in Dorset?",
    "which councils were told to improve return home interviews?",
)


def build_answerer(settings: Settings) -> Answerer:
    """Wire the answer engine to the configured store and model."""
    embedder = load_embedder(settings)
    return Answerer(Knowledge(open_store(settings, embedder.model_id)), embedder)


def build_engine(settings: Settings) -> Router:
    """The router in front of the answer engine: what every surface that answers a question uses."""
    return Router(build_answerer(settings))


def source_reader(answerer: Answerer, settings: Settings):
    """A function giving a report's full source text, read again from its file, for the verbatim check."""
    cache: dict[str, str] = {}

    def source_text(report_id: str) -> str:
        if report_id not in cache:
            report = answerer.knowledge.reports[report_id]
            path = Path(report.source_path)
            data = read_bytes(path, settings.max_file_bytes)
            cache[report_id] = read_source(path, data, {}, max_pages=settings.max_pdf_pages).text
        return cache[report_id]

    return source_text


@main.command("ask")
@click.argument("question")
@click.option("--la", "local_authority", help="Only this local authority.")
@click.option("--since", type=int, help="Only reports from this year on.")
@click.option("--type", "report_type", type=click.Choice(REPORT_TYPES), help="Only this kind of report.")
@click.option("--json", "as_json", is_flag=True, help="Print the answer as JSON.")
@click.pass_obj
def ask_command(settings: Settings, question: str, local_authority: str | None, since: int | None,
                report_type: str | None, as_json: bool) -> None:
    """Answer QUESTION with verbatim, attributed excerpts, or say that the reports don't answer it."""
    filters = Filters((local_authority,) if local_authority else (), since, None, report_type)
    answer = build_engine(settings).answer(question, filters)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(render_text(answer))


@main.command("eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write one result line per question.")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--quotes-only", is_flag=True, help="Skip the router: every question gets quotes.")
@click.pass_obj
def eval_command(settings: Settings, questions: Path, out: Path | None, as_json: bool, quotes_only: bool) -> None:
    """Run every question in QUESTIONS (JSONL) through the answer path and print hit@k, MRR, abstention, latency."""
    answerer = build_answerer(settings) if quotes_only else build_engine(settings)
    answerer.answer("warm up the model and caches")
    run = run_eval(load_questions(questions), answerer.answer, source_reader(answerer, settings))
    if out:
        out.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in run.rows), encoding="utf-8")
    click.echo(json.dumps(metrics_json(run.metrics), indent=1) if as_json else format_metrics(run.metrics))


def report_lookup(folders: tuple[Path, ...]):
    """A function giving a report's raw text, council and kind by id, from Markdown files in the folders."""
    from bot.frontmatter import split_front_matter
    from bot.validation import ReportInfo

    paths = {p.stem: p for folder in folders for p in sorted(folder.rglob("*.md"))}
    cache: dict[str, ReportInfo | None] = {}

    def lookup(report_id: str) -> ReportInfo | None:
        if report_id not in cache:
            path = paths.get(report_id)
            text = path.read_text(encoding="utf-8") if path else ""
            meta = split_front_matter(text)[0] if path else {}
            cache[report_id] = ReportInfo(text, str(meta.get("local_authority", "")), str(meta.get("report_type", "")))\
                if path else None
        return cache[report_id]

    return lookup


@main.command("validate")
@click.argument("questions", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reports", "folders", multiple=True, required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path), help="A folder of reports (repeatable).")
def validate_command(questions: tuple[Path, ...], folders: tuple[Path, ...]) -> None:
    """Check labelled QUESTIONS: gold quotes verbatim in their reports, no copied wording; print the spread."""
    from bot.validation import check_questions, coverage

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
        _fail(f"{len(problems)} questions have problems", 1)


@main.command("demo")
@click.pass_obj
def demo_command(settings: Settings) -> None:
    """Build the knowledge base if needed, then answer three example questions."""
    result = run_ingest(settings, [settings.knowledge_dir], prune=True, show_progress=sys.stderr.isatty())
    _print_summary(result)
    answerer = build_engine(settings)
    for question in EXAMPLE_QUESTIONS:
        click.echo(f"\n### {question}\n")
        click.echo(render_text(answerer.answer(question)))


@main.command("serve")
@click.pass_obj
def serve_command(settings: Settings) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on HOST:PORT at /slack/events."""
    # Imported here so that the other commands start without loading Bolt.
    from bot.memo import Memo
    from bot.slack.server import require_settings, serve

    require_settings(settings)  # a missing token fails in one line, before the model loads
    serve(settings, Memo(build_engine(settings)))


@main.group("feedback")
def feedback_group() -> None:
    """Votes cast on answers in Slack."""


@feedback_group.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file, not stdout.")
@click.pass_obj
def feedback_export_command(settings: Settings, out: Path | None) -> None:
    """Write every vote as one JSON line: hashed question, excerpts, hashed user, vote and time."""
    if not settings.feedback_path.exists():
        raise InputError(f"no feedback yet: {settings.feedback_path} does not exist")
    lines = [json.dumps(row, ensure_ascii=False) + "\n" for row in FeedbackStore(settings.feedback_path).export()]
    if out:
        out.write_text("".join(lines), encoding="utf-8")
        click.echo(f"wrote {len(lines)} votes to {out}", err=True)
    else:
        click.echo("".join(lines), nl=False)


from bot.leaders import register_commands  # noqa: E402  (the leaders' commands live in their own module)
from bot.trainer import train_command  # noqa: E402  (likewise the trainer's)

register_commands(main)
main.add_command(train_command)
