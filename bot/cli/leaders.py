"""Leaders' features on the command line, one command each, made from the registry (`bot.leaders.feature`).

`findings summary Dorset`, `findings theme supervision --since 2022`, `findings judgements care leavers
--council Norfolk`: the words are the feature's argument, as after `/findings` in Slack; --json prints its data, and
--chart and --docx write its picture and paper when it has them. Every quote is followed by its attribution.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from bot.embedder import load_embedder, model_files
from bot.errors import InputError
from bot.leaders.feature import Feature, Request, features
from bot.leaders.history import History
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.settings import Settings
from bot.store.client import open_store


def _engine(settings: Settings, searches: bool) -> tuple[Knowledge, Answerer | None]:
    """The committed knowledge, and the answer engine only for a feature that searches (it loads the model)."""
    if not searches:
        return Knowledge(open_store(settings, model_files(settings).model_id)), None
    embedder = load_embedder(settings)
    answerer = Answerer(Reader(Knowledge(open_store(settings, embedder.model_id)), embedder))
    return answerer.knowledge, answerer


def _write(path: Path | None, data: bytes, what: str) -> None:
    """Write a chart or a document, saying where on stderr so that stdout stays the summary (or its JSON)."""
    if path is None:
        return
    try:
        path.write_bytes(data)
    except OSError as err:
        raise InputError(f"cannot write the {what} to {path}: {err.strerror or type(err).__name__}") from err
    click.echo(f"Wrote the {what} to {path}", err=True)


def _draw(history: History) -> bytes:
    # matplotlib and python-docx (about 50 MiB) load only for --chart and --docx: `findings serve` never has them.
    from bot.leaders.chart import draw

    return draw(history)


def run_feature(settings: Settings, feature: Feature, words: tuple[str, ...], as_json: bool = False,
                chart_path: Path | None = None, docx_path: Path | None = None, **options) -> None:
    """Build the feature from its words and options, write its chart and paper if asked, and print it."""
    knowledge, engine = _engine(settings, feature.searches)
    result = feature.build(Request(" ".join(words), knowledge, engine, options))
    if chart_path and feature.chart:
        history = feature.chart(result, knowledge)
        if history is None:
            raise InputError("There is nothing to chart: the table is empty.")
        _write(chart_path, _draw(history), "chart")
        click.echo(f"Alt text: {history.alt_text()}", err=True)
    if docx_path and feature.paper:
        title, data = feature.paper(result, knowledge, dt.date.today(), _draw)
        _write(docx_path, data, f"{title.split()[0].lower()} document")
    if as_json:
        click.echo(json.dumps(feature.json(result), ensure_ascii=False, indent=1))
    else:
        click.echo(feature.text(result), nl=False)


def feature_command(feature: Feature) -> click.Command:
    """The click command for one feature: its words, its own options, --json, and --chart/--docx if it has them."""
    params: list[click.Parameter] = [click.Argument(["words"], nargs=-1, required=not feature.optional)]
    params += [click.Option([f"--{o.name}"], type=o.type, multiple=o.multiple, help=o.help) for o in feature.options]
    params.append(click.Option(["--json", "as_json"], is_flag=True, help="Print it as JSON."))
    if feature.chart:
        params.append(click.Option(["--chart", "chart_path"], type=click.Path(dir_okay=False, path_type=Path),
                                   help="Also draw its judgement chart to this PNG file."))
    if feature.paper:
        params.append(click.Option(["--docx", "docx_path"], type=click.Path(dir_okay=False, path_type=Path),
                                   help="Also write a Word document (.docx) with every quote cited."))

    @click.pass_obj
    def callback(settings: Settings, words: tuple[str, ...], **given) -> None:
        run_feature(settings, feature, words, **given)

    return click.Command(feature.name, params=params, callback=callback,
                         help=f"{feature.usage}: {feature.help}", short_help=feature.help)


def feature_commands() -> list[click.Command]:
    """A command for every registered feature."""
    return [feature_command(f) for f in features()]
