"""`findings sync`: read Ofsted's provider pages, fetch the reports not yet held, catalogue and ingest them."""

import datetime
import json
import sys

import click

from bot.cli.library import run_ingest
from bot.embedder import model_files
from bot.errors import InputError
from bot.language.neighbours import Council, by_name
from bot.leaders.briefing import find_local_authority
from bot.ofsted.client import Polite
from bot.ofsted.ledger import Ledger
from bot.ofsted.updater import SyncRun, run_sync
from bot.settings import Settings
from bot.store.client import open_store


def councils_named(names: tuple[str, ...]) -> list[Council]:
    """The lookup rows of the councils named (every council with a URN when none is), or an InputError."""
    table = by_name()
    if not names:
        return [council for _, council in sorted(table.items()) if council.urn]
    chosen = [table[find_local_authority(name, set(table))] for name in names]
    missing = [c.name for c in chosen if not c.urn]
    if missing:
        raise InputError(f"the lookup has no Ofsted URN for {', '.join(missing)}")
    return chosen


def sync_now(settings: Settings, councils: list[Council], since: str = "", dry_run: bool = False) -> SyncRun:
    """One sync run with the settings' site, pace and limits, ingesting into the configured store."""
    store = open_store(settings, model_files(settings).model_id)
    reports = [stored.report for stored in store.reports().values()]
    settings.knowledge_dir.mkdir(parents=True, exist_ok=True)
    client = Polite(pause=settings.sync_pause, timeout=settings.sync_timeout, retries=settings.sync_retries,
                    contact=settings.sync_contact)
    try:
        return run_sync(councils, client, settings.knowledge_dir, reports, base=settings.ofsted_url, since=since,
                        dry_run=dry_run, max_bytes=settings.max_file_bytes,
                        ingest=lambda: run_ingest(settings, [settings.knowledge_dir], prune=False,
                                                  show_progress=False).to_json(),
                        link=store.set_url)
    finally:
        client.close()


def last_sync_line(settings: Settings) -> str:
    """'Last sync 2026-12-07T06:00:00+00:00: 153 councils checked, 2 reports added, 0 errors', or that none ran."""
    last = Ledger.load(settings.knowledge_dir).last_run
    if not last:
        return "No sync from Ofsted's site has run yet (`findings sync`)."
    return (f"Last sync {last['started']}: {last['checked']} councils checked, {len(last['added'])} reports added, "
            f"{len(last['linked'])} links found, {len(last['errors'])} errors")


@click.command("sync")
@click.option("--council", "names", multiple=True, help="Only this council (repeatable); every council by default.")
@click.option("--since", help="Only reports published on or after this date (YYYY-MM-DD).")
@click.option("--dry-run", is_flag=True, help="Say what would be fetched; fetch and change nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
def sync_command(settings: Settings, names: tuple[str, ...], since: str | None, dry_run: bool, as_json: bool) -> None:
    """Fetch new Ofsted reports from each council's provider page into KNOWLEDGE_DIR and ingest them."""
    if since:
        try:
            since = datetime.date.fromisoformat(since).isoformat()
        except ValueError:
            raise InputError(f"--since {since!r} is not a date like 2025-01-31") from None
    run = sync_now(settings, councils_named(names), since or "", dry_run)
    data = run.to_json()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        sys.exit(1 if data["errors"] else 0)
    verb = "would fetch" if dry_run else "added"
    for row in data["added"]:
        click.echo(f"{verb}: {row['id']} ({row['report_type']}, {row['published']}) {row['url']}")
    for row in data["linked"]:
        click.echo(f"link {'would be ' if dry_run else ''}recorded: {row['id']} {row['url']}")
    for row in data["errors"]:
        click.echo(f"error: {row['local_authority']}: {row['error']}", err=True)
    click.echo(f"{data['checked']} councils checked ({data['unchanged']} unchanged) in {data['requests']} requests, "
               f"{data['seconds']:.1f} s; {len(data['added'])} {verb}, {len(data['errors'])} errors")
    sys.exit(1 if data["errors"] else 0)
