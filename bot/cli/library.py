"""Commands on the knowledge base: `ingest` brings it in line with the files, `sources` lists it, `inspect` one."""

import json
import sys
from pathlib import Path

import click

from bot.attribution import display_date
from bot.cli.shell import fail
from bot.embedder import model_files
from bot.errors import InputError
from bot.ingest.catalogue import Catalogues
from bot.ingest.chunker import Section, split_sections
from bot.ingest.reader import Source, read_bytes, read_source
from bot.ingest.workers import start_workers
from bot.language.grades import OVERALL, short_name
from bot.language.reports import ILACS, label
from bot.ofsted.ledger import Ledger
from bot.report import Span
from bot.settings import Settings
from bot.store.client import drop, open_store
from bot.store.sync import IngestResult, discover, display_path, ingest


def print_summary(result: IngestResult) -> None:
    """One line of what an ingest did, and one line per file that failed."""
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


@click.command("ingest")
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
        fail("interrupted; what was committed is kept, run ingest again to finish", 130)
    if as_json:
        click.echo(json.dumps(result.to_json()))
    else:
        print_summary(result)
    if result.failed:
        sys.exit(1)


@click.command("sources")
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
    click.echo(Ledger.load(settings.knowledge_dir).summary())


def _span_json(span: Span, report_id: str, sections: list[Section]) -> dict:
    section = next((s.path for s in sections if s.start <= span.start < s.end), "")
    return {"text": span.text, "report": report_id, "section": section, "start": span.start, "end": span.end}


def structure_json(path: Path, source: Source) -> dict:
    """What `inspect --json` prints for one file: attribution, judgements and every extracted span."""
    r, s = source.report, source.report.structure
    spans = [*s.improvements, *s.headline, *s.rows.values(), *([s.focus] if s.focus else [])]
    sections = split_sections(source.text)
    by_span = {id(span): _span_json(span, r.id, sections) for span in spans}
    return {
        "path": str(path), "id": r.id, "title": r.title, "local_authority": r.local_authority,
        "report_type": r.report_type, "published": r.published, "inspection_dates": r.inspection_dates,
        "lead_inspector": r.lead_inspector, "overall_effectiveness": r.overall_effectiveness,
        "judgements": r.judgements,
        "judgement_labels": {name: by_span[id(span)] for name, span in s.rows.items()},
        "improvements": [by_span[id(span)] for span in s.improvements],
        "headline": [by_span[id(span)] for span in s.headline],
        "focus": by_span[id(s.focus)] if s.focus else None,
    }


def render_structure(path: Path, source: Source) -> str:
    """What was extracted from one file, compactly."""
    r, s = source.report, source.report.structure
    lines = [str(path), f"  {r.title} · {r.local_authority or '?'} · {label(r.report_type)}"
             f" · {display_date(r.published) or 'no date'}"]
    lines.append(f"  inspection dates: {r.inspection_dates or '?'} · lead inspector: {r.lead_inspector or '?'}")
    if r.judgements:
        lines.append("  judgements: " + " · ".join(f"{short_name(n)} {g}" for n, g in r.judgements.items()))
        if r.report_type == ILACS and OVERALL not in r.judgements:
            lines.append(f"  no {OVERALL.lower()} grade")
    if s.focus:
        lines.append(f"  focus: {s.focus.text}")
    lines.append(f"  headline: {len(s.headline)} paragraph(s)" + (f": {s.headline[0].text[:160]}…" if s.headline
                                                                  else ""))
    lines.append(f"  what needs to improve: {len(s.improvements)} item(s)")
    lines += [f"    - {item.text}" for item in s.improvements]
    return "\n".join(lines) + "\n"


@click.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per file, one per line.")
@click.pass_obj
def inspect_command(settings: Settings, paths: tuple[Path, ...], as_json: bool) -> None:
    """Print what would be extracted from each report in PATHS (files or folders); nothing is stored."""
    failed = [f"{p}: no such file or folder" for p in paths if not p.exists()]
    catalogues = Catalogues([p for p in paths if p.exists()])
    for path in discover([p for p in paths if p.exists()]):
        try:
            row = catalogues.row(path)
            source = read_source(path, read_bytes(path, settings.max_file_bytes), row, max_pages=settings.max_pdf_pages)
        except InputError as err:
            failed.append(f"{path}: {err}")
            continue
        shown = Path(display_path(path))
        click.echo(json.dumps(structure_json(shown, source), ensure_ascii=False) if as_json
                   else render_structure(shown, source))
    for failure in failed:
        click.echo(f"failed: {failure}", err=True)
    if failed:
        sys.exit(1)
