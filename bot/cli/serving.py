"""Commands for the Slack side: `serve` runs the app, `feedback export` writes the votes cast in Slack."""

import json
from pathlib import Path

import click

from bot.cli.wiring import build_engine
from bot.errors import InputError
from bot.settings import Settings
from bot.state.feedback import FeedbackStore


@click.command("serve")
@click.pass_obj
def serve_command(settings: Settings) -> None:
    """Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP on HOST:PORT at /slack/events."""
    # Imported here so that the other commands start without loading Bolt.
    from bot.retrieval.memo import Memo
    from bot.slack.server import require_settings, serve

    require_settings(settings)  # a missing token fails in one line, before the model loads
    serve(settings, Memo(build_engine(settings)))


@click.group("feedback")
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
