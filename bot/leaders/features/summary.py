"""`summary <local authority>`: a director's briefing, with the council's judgement chart and a Word paper."""

from __future__ import annotations

import datetime as dt
import re

from bot.attribution import display_date
from bot.language.councils import name_forms
from bot.language.grades import OVERALL, short_name
from bot.language.neighbours import neighbours
from bot.language.words import fold_name
from bot.leaders.briefing import Briefing, brief, find_local_authority
from bot.leaders.feature import Draw, Feature, Request
from bot.leaders.framework import framework_label, grade_words
from bot.leaders.grid import grid_of
from bot.leaders.history import History, council_history
from bot.leaders.neighbours import compare_with_neighbours
from bot.leaders.quote import quote_lines
from bot.retrieval.knowledge import Knowledge

# "brief me on Dorset", "a summary of Essex please", "can you give me a briefing for Isle of Wight?"
ASKED = re.compile(
    r"(?i)(?:please\s+)?(?:(?:can|could)\s+you\s+)?(?:(?:give|get|send)\s+me\s+)?(?:a\s+|the\s+)?"
    r"(?:brief(?:ing)?|summary|summari[sz]e)(?:\s+me)?\s+(?:on|of|for|about)\s+(?P<subject>[^?!.]{2,60}?)"
    r"(?:,?\s+please)?\s*[?!.]*"
)

# Words around a council's name that still leave it only a name: "the", "council", "county council".
_AROUND_NAME = re.compile(r"^(?:the )?(.+?)(?: (?:city|county|borough|metropolitan borough))?(?: council)?$")


def names_a_council(subject: str) -> bool:
    """Whether the words are a council's name and nothing more (not "care leavers in Essex")."""
    match = _AROUND_NAME.match(fold_name(subject))
    return bool(match) and (fold_name(subject) in name_forms() or match.group(1) in name_forms())


def _trail(steps) -> str:
    return " → ".join(f"{grade_words(s.report, OVERALL, s.grade)} {s.report.year}" for s in steps)


def render_briefing(b: Briefing) -> str:
    """A director's briefing as text: table, history, what to improve, strengths, concerns, latest visit."""
    lines = [f"{b.local_authority}: what the reports say", ""]
    if b.latest:
        r = b.latest
        lines.append(f"Latest judgements: {r.title}, {framework_label(r)}, {display_date(r.published)}"
                     + (f" {r.url}" if r.url else ""))
        rows = [(short_name(j.name), j.grade) for j in b.judgements]
        if OVERALL not in r.judgements:
            rows.append((short_name(OVERALL), grade_words(r, OVERALL, "")))
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
                lines += quote_lines(quote)
    if b.focused_visit:
        v = b.focused_visit
        visited = f", visited {v.inspection_dates}" if v.inspection_dates else ""
        lines += ["", f"Latest focused visit: {display_date(v.published)}{visited}"]
        if b.focus:
            lines += quote_lines(b.focus)
        for quote in b.visit_improvements:
            lines += quote_lines(quote, ">  to improve:")
    return "\n".join(lines).rstrip() + "\n"


def build(request: Request) -> Briefing:
    """The briefing on the council the request names."""
    knowledge = request.knowledge
    return brief(find_local_authority(request.text, knowledge.local_authorities), knowledge)


def chart(briefing: Briefing, knowledge: Knowledge) -> History:
    """Every judgement the council has had, over time."""
    return council_history(knowledge, briefing.local_authority)


def _neighbours(briefing: Briefing, knowledge: Knowledge, draw: Draw) -> tuple | None:
    """The council beside its statistical neighbours, as the paper's section has it, or None without neighbours."""
    if not neighbours(briefing.local_authority):
        return None
    comparison = compare_with_neighbours(knowledge, briefing.local_authority)
    grid = grid_of(comparison)
    return comparison, grid, draw(grid)


def paper(briefing: Briefing, knowledge: Knowledge, today: dt.date, draw: Draw) -> tuple[str, bytes]:
    """The briefing as a Word document, its chart inside."""
    from bot.leaders.document import briefing_document  # python-docx loads on the first paper, not at start

    history = chart(briefing, knowledge)
    data = briefing_document(briefing, history, draw(history), today, _neighbours(briefing, knowledge, draw))
    return f"Briefing {briefing.local_authority} {today.isoformat()}", data


FEATURE = Feature(
    name="summary", words=("summary", "brief", "briefing"), argument="<local authority>", optional=False,
    help="latest judgements, history, what to improve, strengths and concerns, latest focused visit.", order=1,
    build=build, text=render_briefing, json=Briefing.to_json, asked=(ASKED,), accepts=names_a_council, chart=chart,
    paper=paper,
)
