"""Leaders' summaries on the command line: `summary`, `theme` and `judgements`, and their text form.

The render functions return plain text a Slack layer can reuse as a fallback; every quote is followed by its
attribution (the same fields `ask` prints) and its link.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from bot.attribution import attribution_parts, display_date
from bot.embedder import load_embedder, model_files
from bot.errors import InputError
from bot.language.grades import OVERALL, short_name
from bot.leaders.briefing import Briefing, brief, find_local_authority
from bot.leaders.history import MAX_COUNCILS, History, comparison, council_history
from bot.leaders.judgement_table import JudgementRow, judgement_table, parse_request
from bot.leaders.quote import Quote
from bot.leaders.theme import Theme, theme
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.polarity import CONCERN, STRENGTH
from bot.settings import Settings
from bot.store.client import open_store

THEME_QUOTES = 5  # per group in the text form; --json has them all


def _quote_lines(quote: Quote, bullet: str = ">") -> list[str]:
    lines = [f"{bullet} “{quote.text}”", "  — " + " · ".join(attribution_parts(quote.excerpt()))]
    return [*lines, f"  {quote.report.url}"] if quote.report.url else lines


def _trail(steps) -> str:
    return " → ".join(f"{s.grade or 'no overall grade'} {s.report.year}" for s in steps)


def render_briefing(b: Briefing) -> str:
    """A director's briefing as text: table, history, what to improve, strengths, concerns, latest visit."""
    lines = [f"{b.local_authority}: what the reports say", ""]
    if b.latest:
        r = b.latest
        lines.append(f"Latest judgements: {r.title}, {display_date(r.published)}" + (f" {r.url}" if r.url else ""))
        rows = [(short_name(j.name), j.grade) for j in b.judgements]
        if OVERALL not in r.judgements:
            rows.append((short_name(OVERALL), "no overall grade in this report"))
        width = max(len(name) for name, _ in rows)
        lines += [f"  {name:<{width}}  {grade}" for name, grade in rows]
        lines += ["", "Judgement history"]
        names = [OVERALL, *(j.name for j in b.judgements if j.name != OVERALL)]
        lines += [f"  {short_name(n)}: {_trail(b.trail(n))}" for n in names if b.trail(n)]
    else:
        lines.append("No graded inspection in the reports I hold.")
    for title, quotes in (("What needs to improve", b.improvements), ("Strengths", b.strengths),
                          ("Concerns", b.concerns)):
        if quotes:
            lines += ["", f"{title} ({len(quotes)})"]
            for quote in quotes:
                lines += _quote_lines(quote)
    if b.focused_visit:
        v = b.focused_visit
        visited = f", visited {v.inspection_dates}" if v.inspection_dates else ""
        lines += ["", f"Latest focused visit: {display_date(v.published)}{visited}"]
        if b.focus:
            lines += _quote_lines(b.focus)
        for quote in b.visit_improvements:
            lines += _quote_lines(quote, ">  to improve:")
    return "\n".join(lines).rstrip() + "\n"


def render_theme(t: Theme, limit: int = THEME_QUOTES) -> str:
    """A theme as text: one count line per group, the local authorities named, the best quotes of each."""
    since = f" since {t.since}" if t.since else ""
    if not t.quotes:
        return f"I found nothing about “{t.topic}” in the reports{since}.\n"
    lines = [f"“{t.topic}”: mentioned in {len(t.reports)} reports{since}"]
    for title, polarity in (("Areas for improvement", CONCERN), ("Strengths", STRENGTH)):
        quotes = t.group(polarity)
        lines += ["", f"{title}: {t.count_line(polarity)}"]
        if t.local_authorities(polarity):
            lines.append("  " + ", ".join(t.local_authorities(polarity)))
        for quote in quotes[:limit]:
            lines += _quote_lines(quote)
        if len(quotes) > limit:
            lines.append(f"  … and {len(quotes) - limit} more quotes (--json lists them all)")
    return "\n".join(lines).rstrip() + "\n"


def render_judgements(rows: list[JudgementRow], judgement: str, grade: str | None) -> str:
    """The judgement table as text: one line per local authority, newest report first."""
    what = short_name(judgement) + (f" judged {grade}" if grade else "")
    if not rows:
        return f"No local authority's latest graded inspection has {what.lower()}.\n"
    lines = [f"{what}: {len(rows)} local authorit{'y' if len(rows) == 1 else 'ies'}, latest graded inspection each"]
    width = max(len(row.local_authority) for row in rows)
    for row in rows:
        given = row.grade or "no overall grade"
        note = f" ({short_name(row.judgement)})" if row.judgement != judgement else ""
        lines.append(f"  {row.local_authority:<{width}}  {given}{note} · {display_date(row.report.published)} · "
                     f"{row.report.id}")
    return "\n".join(lines) + "\n"


def _knowledge(settings: Settings) -> Knowledge:
    """The committed knowledge, without loading the embedding model (summaries and tables need none)."""
    return Knowledge(open_store(settings, model_files(settings).model_id))


def _emit(payload: dict | list) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=1))


def _write(path: Path | None, data: bytes, what: str) -> None:
    """Write a chart or a document, saying where on stderr so that stdout stays the summary (or its JSON)."""
    if path is None:
        return
    try:
        path.write_bytes(data)
    except OSError as err:
        raise InputError(f"cannot write the {what} to {path}: {err.strerror or type(err).__name__}") from err
    click.echo(f"Wrote the {what} to {path}", err=True)


def _chart(path: Path | None, history: History) -> bytes | None:
    """Draw the chart (a document embeds it), writing it and printing its alt text when a file was named."""
    # matplotlib and python-docx (about 50 MiB) load only for --chart and --docx: `findings serve` never has them.
    from bot.leaders.chart import draw

    png = draw(history)
    _write(path, png, "chart")
    if path is not None:
        click.echo(f"Alt text: {history.alt_text()}", err=True)
    return png


CHART = click.option("--chart", "chart_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Also draw the judgement history to this PNG file.")
DOCX = click.option("--docx", "docx_path", type=click.Path(dir_okay=False, path_type=Path),
                    help="Also write a Word document (.docx) with every quote cited, for a board paper.")


@click.command("summary")
@click.argument("local_authority")
@click.option("--json", "as_json", is_flag=True, help="Print the briefing as JSON.")
@CHART
@DOCX
@click.pass_obj
def summary_command(settings: Settings, local_authority: str, as_json: bool, chart_path: Path | None,
                    docx_path: Path | None) -> None:
    """Brief a director on LOCAL_AUTHORITY: latest judgements, history, what to improve, strengths, concerns."""
    knowledge = _knowledge(settings)
    result = brief(find_local_authority(local_authority, knowledge.local_authorities), knowledge)
    if chart_path or docx_path:
        history = council_history(knowledge, result.local_authority)
        png = _chart(chart_path, history)
        if docx_path:
            from bot.leaders.document import briefing_document

            _write(docx_path, briefing_document(result, history, png, dt.date.today()), "briefing document")
    if as_json:
        _emit(result.to_json())
    else:
        click.echo(render_briefing(result), nl=False)


@click.command("theme")
@click.argument("topic")
@click.option("--since", type=int, help="Only reports from this year on.")
@click.option("--json", "as_json", is_flag=True, help="Print every quote, grouped, as JSON.")
@DOCX
@click.pass_obj
def theme_command(settings: Settings, topic: str, since: int | None, as_json: bool, docx_path: Path | None) -> None:
    """What inspectors say about TOPIC across reports: strengths and areas for improvement, counted and quoted."""
    embedder = load_embedder(settings)
    answerer = Answerer(Knowledge(open_store(settings, embedder.model_id)), embedder)
    result = theme(topic, since, answerer)
    if docx_path:
        from bot.leaders.document import theme_document

        _write(docx_path, theme_document(result, dt.date.today()), "theme document")
    if as_json:
        _emit(result.to_json())
    else:
        click.echo(render_theme(result), nl=False)


@click.command("judgements")
@click.argument("request", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--council", "councils", multiple=True, help="Only this local authority (repeat, up to 8 to chart).")
@CHART
@click.pass_obj
def judgements_command(settings: Settings, request: tuple[str, ...], as_json: bool, councils: tuple[str, ...],
                       chart_path: Path | None) -> None:
    """Each LA's latest ILACS grade for a judgement (default overall), e.g. `judgements care leavers outstanding`."""
    judgement, grade = parse_request(" ".join(request))
    knowledge = _knowledge(settings)
    rows = judgement_table(knowledge, judgement, grade)
    named = [find_local_authority(name, knowledge.local_authorities) for name in councils]
    if named:
        rows = [row for row in rows if row.local_authority in named]
    if chart_path:
        if not named and len(rows) > MAX_COUNCILS:
            raise InputError(f"The table has {len(rows)} local authorities and a chart compares up to "
                             f"{MAX_COUNCILS}: name them with --council.")
        _chart(chart_path, comparison(knowledge, named or [row.local_authority for row in rows], judgement))
    if as_json:
        _emit([row.to_json() for row in rows])
    else:
        click.echo(render_judgements(rows, judgement, grade), nl=False)
