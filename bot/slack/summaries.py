"""Block Kit for leaders' features: an LA briefing, a theme across reports, a judgement table.

`RENDERERS` maps a feature's name (`bot.leaders.feature`) to its renderer: a new feature adds one here.
"""

from collections.abc import Callable

from bot.attribution import display_date
from bot.language.grades import OVERALL, short_name
from bot.leaders.framework import framework_label, grade_words, no_overall
from bot.leaders.neighbours import count_line
from bot.slack.blocks import MAX_BLOCKS, MAX_FALLBACK, Reply, attribution, context, download_button, quote, section
from bot.slack.mrkdwn import escape, trim

# A summary is skimmed by a director: a handful of quotes per part, the rest counted, never silently dropped.
PER_PART = 4
TABLE_ROWS = 40
UNGRADED = "No graded inspection in the reports I hold."


def _quotes(title: str, quotes: list, limit: int = PER_PART) -> list[dict]:
    if not quotes:
        return []
    blocks = [section(f"*{escape(title)}*")]
    for item in quotes[:limit]:
        excerpt = item.excerpt()
        blocks += [section(quote(excerpt)), context(attribution(excerpt))]
    if len(quotes) > limit:
        blocks.append(context(f"{len(quotes) - limit} more not shown: `findings` on the command line has them all"))
    return blocks


def _fit(header: str, blocks: list[dict], fallback: list[str], download: str = "") -> Reply:
    """Keep within Slack's limits by dropping whole trailing blocks and saying so; the download button stays last."""
    room = MAX_BLOCKS - (1 if download else 0)
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], context("More was found than one Slack message holds.")]
    if download:
        blocks = [*blocks, download_button(download)]
    text = trim(escape("\n".join([header, *fallback])), MAX_FALLBACK)
    return Reply(text, blocks)


def briefing_reply(briefing) -> Reply:
    """The LA briefing: latest judgements, history, what to improve, strengths, concerns, latest focused visit."""
    header = f"Briefing: {briefing.local_authority}"
    blocks = [section(f"*{escape(header)}*")]
    fallback: list[str] = []
    if briefing.latest is None:  # only focused visits: no grades, but their findings are still worth quoting
        blocks.append(section(UNGRADED))
        fallback.append(UNGRADED)
    elif briefing.judgements:
        latest = briefing.latest
        graded = [(j.name, j.grade) for j in briefing.judgements]
        if no_overall(latest):  # where an overall grade would stand, the reason there is none
            graded.insert(0, (OVERALL, no_overall(latest)))
        rows = [f"{escape(name)}: *{escape(grade or 'not graded')}*" for name, grade in graded]
        blocks += [section("*Latest judgements*\n" + "\n".join(rows)),
                   context(escape(f"{latest.title} · {framework_label(latest)} · {display_date(latest.published)}"))]
        fallback += [f"{name}: {grade or 'not graded'}" for name, grade in graded]
    trail = briefing.trail()
    if len(trail) > 1:
        steps = " → ".join(f"{grade_words(s.report, OVERALL, s.grade)} {s.report.year or ''}".strip() for s in trail)
        blocks.append(section(f"*{short_name(OVERALL)} over time*\n" + escape(steps)))
        fallback.append(steps)
    blocks += _quotes("What needs to improve", briefing.improvements, 6)
    blocks += _quotes("Strengths", briefing.strengths)
    blocks += _quotes("Concerns", briefing.concerns)
    if briefing.focused_visit:
        visit = briefing.focused_visit
        blocks.append(section(f"*Latest focused visit* · {escape(display_date(visit.published))}"))
        if briefing.focus:
            blocks += [section(quote(briefing.focus.excerpt())), context(attribution(briefing.focus.excerpt()))]
        blocks += _quotes("The visit asked for", briefing.visit_improvements, 3)
    quoted = briefing.improvements + briefing.strengths + briefing.concerns
    fallback += [f"“{q.text}” ({q.report.title})" for q in quoted]
    return _fit(header, blocks, fallback, f"summary:{briefing.local_authority}")


def theme_reply(theme) -> Reply:
    """A theme across reports: counts, the councils named, and quotes grouped into strengths and concerns."""
    since = f" since {theme.since}" if theme.since else ""
    header = f"{theme.topic}: {len(theme.reports)} reports{since} mention it"
    if not theme.quotes:
        text = f"None of the reports{since} I hold say anything I can quote on {theme.topic}."
        return Reply(escape(text), [section(escape(text))])
    blocks = [section(f"*{escape(header)}*")]
    fallback = [header]
    for polarity, title in (("concern", "Areas for improvement"), ("strength", "Strengths")):
        group = theme.group(polarity)
        if not group:
            continue
        councils = ", ".join(theme.local_authorities(polarity))
        line = f"{theme.count_line(polarity)}: {councils}"
        blocks.append(section(f"*{escape(title)}* · {escape(line)}"))
        blocks += _quotes(title, group)[1:]
        fallback.append(line)
    return _fit(header, blocks, fallback, f"theme:{theme.topic}" + (f" since {theme.since}" if theme.since else ""))


def judgements_reply(table) -> Reply:
    """A table of local authorities with a judgement's grade, from each one's latest graded inspection."""
    rows, judgement, grade = table.rows, table.judgement, table.grade
    wanted = f" graded {grade}" if grade else ""
    header = f"{judgement}{wanted}: {len(rows)} local authorities"
    if not rows:
        return Reply(escape(header), [section(escape(header))])
    lines = [
        f"{escape(r.local_authority)}: *{escape(grade_words(r.report, r.judgement, r.grade))}* · "
        f"{escape(framework_label(r.report))}, {escape(display_date(r.report.published))}"
        for r in rows[:TABLE_ROWS]
    ]
    blocks = [section(f"*{escape(header)}*")]
    for at in range(0, len(lines), 20):  # a block holds 3,000 characters; 20 rows stay well inside it
        blocks.append(section("\n".join(lines[at : at + 20])))
    if len(rows) > TABLE_ROWS:
        blocks.append(context(f"{len(rows) - TABLE_ROWS} more: `findings judgements` on the command line lists all"))
    blocks.append(context("From each council's latest graded inspection in the knowledge base."))
    return _fit(header, blocks, [f"{r.local_authority}: {r.grade}" for r in rows])


def neighbours_reply(comparison) -> Reply:
    """A council and its statistical neighbours: each one's latest graded inspection and grades, the asked one
    marked; with one judgement asked, each grade's quoted row beneath it."""
    header = f"{comparison.local_authority} and its statistical neighbours"
    blocks = [section(f"*{escape(header)}* · closest first, latest graded inspection each")]
    one = len(comparison.judgements) == 1
    for row in comparison.rows:
        name = f"*{escape(row.local_authority)}*" + (" (asked)" if row.asked else "")
        if row.report is None:
            held = "no graded inspection in the reports I hold" if row.held else "no reports held"
            blocks.append(section(f"{name}: {held}"))
            continue
        grades = " · ".join(f"{escape(short_name(j))} *{escape(grade_words(row.report, j, row.grade(j)))}*"
                            for j in comparison.judgements)
        blocks.append(section(f"{name}: {grades}"))
        stated = row.grades.get(comparison.judgements[0]) if one else None
        if stated and stated.excerpt:
            blocks += [section(quote(stated.excerpt)), context(attribution(stated.excerpt))]
        else:
            blocks.append(context(escape(f"{row.report.title} · {framework_label(row.report)}, "
                                         f"{display_date(row.report.published)}")))
    lines = [count_line(comparison, j) for j in comparison.judgements]
    blocks.append(context(escape("\n".join(lines))))
    return _fit(header, blocks, [*lines], f"neighbours:{comparison.local_authority}")


RENDERERS: dict[str, Callable[..., Reply]] = {
    "summary": briefing_reply, "theme": theme_reply, "judgements": judgements_reply, "neighbours": neighbours_reply,
}


def feature_reply(feature, result) -> Reply:
    """A feature's reply: its own Block Kit, or its plain text in one section when it has no renderer."""
    render = RENDERERS.get(feature.name)
    if render:
        return render(result)
    text = escape(feature.text(result).strip())
    return Reply(trim(text, MAX_FALLBACK), [section(trim(text, 3000))])
