"""`findings sync`: read Ofsted's provider pages, fetch the reports not yet held, catalogue and ingest them."""

import datetime
import json
import sys

import click

from bot.errors import InputError
from bot.language.neighbours import Council, by_name
from bot.leaders.briefing import find_local_authority
from bot.ofsted.session import every_council, sync_now
from bot.settings import Settings


def councils_named(names: tuple[str, ...]) -> list[Council]:
    """The lookup rows of the councils named (every council with a URN when none is), or an InputError."""
    if not names:
        return every_council()
    table = by_name()
    chosen = [table[find_local_authority(name, set(table))] for name in names]
    missing = [c.name for c in chosen if not c.urn]
    if missing:
        raise InputError(f"the lookup has no Ofsted URN for {', '.join(missing)}")
    return chosen


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
