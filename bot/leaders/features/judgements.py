"""`judgements [judgement] [grade]`: each council's latest grade, charted when it names 1 to 8 councils."""

from __future__ import annotations

from bot.attribution import display_date
from bot.errors import InputError
from bot.language.grades import short_name
from bot.leaders.briefing import find_local_authority
from bot.leaders.feature import Feature, Option, Request
from bot.leaders.framework import framework_label, grade_words
from bot.leaders.history import MAX_COUNCILS, History, comparison
from bot.leaders.judgement_table import JudgementTable, judgement_table, parse_request
from bot.retrieval.knowledge import Knowledge


def render_judgements(table: JudgementTable) -> str:
    """The judgement table as text: one line per local authority, newest report first."""
    what = short_name(table.judgement) + (f" judged {table.grade}" if table.grade else "")
    if not table.rows:
        return f"No local authority's latest graded inspection has {what.lower()}.\n"
    rows = table.rows
    lines = [f"{what}: {len(rows)} local authorit{'y' if len(rows) == 1 else 'ies'}, latest graded inspection each"]
    width = max(len(row.local_authority) for row in rows)
    for row in rows:
        given = grade_words(row.report, row.judgement, row.grade)
        note = f" ({short_name(row.judgement)})" if row.judgement != table.judgement else ""
        lines.append(f"  {row.local_authority:<{width}}  {given}{note} · {framework_label(row.report)}, "
                     f"{display_date(row.report.published)} · {row.report.id}")
    return "\n".join(lines) + "\n"


def build(request: Request) -> JudgementTable:
    """The table the request asks for, only the councils `--council` names when it names any."""
    judgement, grade = parse_request(request.text)
    knowledge = request.knowledge
    table = JudgementTable(judgement, grade, judgement_table(knowledge, judgement, grade))
    named = [find_local_authority(name, knowledge.local_authorities) for name in request.options.get("council", ())]
    return table.only(named) if named else table


def chart(table: JudgementTable, knowledge: Knowledge) -> History | None:
    """The listed councils' histories on the judgement asked, when one chart can tell them apart."""
    councils = [row.local_authority for row in table.rows]
    if len(councils) > MAX_COUNCILS:
        raise InputError(f"The table has {len(councils)} local authorities and a chart compares up to "
                         f"{MAX_COUNCILS}: name them with --council.")
    return comparison(knowledge, councils, table.judgement) if councils else None


FEATURE = Feature(
    name="judgements", words=("judgements", "judgments"), argument="[judgement] [grade]", optional=True,
    help="each council's latest grade, e.g. `/findings judgements care leavers outstanding`.", order=3,
    build=build, text=render_judgements, json=JudgementTable.to_json,
    options=(Option("council", "Only this local authority (repeat, up to 8 to chart).", multiple=True),),
    chart=chart,
)
