"""`neighbours <local authority> [judgement]`: the council beside its ten statistical neighbours, grade by grade."""

from __future__ import annotations

import re

from bot.attribution import display_date
from bot.language.areas import OVERALL_KEY
from bot.language.grades import OVERALL, short_name
from bot.language.groups import ACROSS, NEIGHBOURS
from bot.language.neighbours import by_name
from bot.leaders.briefing import find_local_authority
from bot.leaders.feature import Feature, Option, Request
from bot.leaders.framework import framework_label, grade_words
from bot.leaders.grid import Grid, grid_of
from bot.leaders.judgement_table import AREAS
from bot.leaders.neighbours import Comparison, compare_with_neighbours, count_line
from bot.retrieval.query import parse_query
from bot.retrieval.ranking import judgement_areas

_THEIRS = r"(?:its|their|the|our)\s+"
_ON = r"(?P<on>\s+on\s+[^?.!]+?)?\s*[?.!]*"
# "how does Reading compare with its statistical neighbours?", "Reading vs its stat neighbours on care leavers",
# "compare Reading with its statistical neighbours", "Reading's statistical neighbours: how do they compare?"
ASKED = (
    re.compile(rf"(?i)how\s+(?:does|do|is|are)\s+(?P<subject>.+?)\s+(?:compare|doing|stack\s+up|look)"
               rf"(?:\s+compared)?\s+(?:with|to|against|next\s+to|beside)\s+{_THEIRS}{NEIGHBOURS}{_ON}"),
    re.compile(rf"(?i)(?P<subject>.+?)\s+(?:vs\.?|versus|compared\s+(?:with|to)|against)\s+{_THEIRS}{NEIGHBOURS}{_ON}"),
    re.compile(rf"(?i)compare\s+(?P<subject>.+?)\s+(?:with|to|against)\s+{_THEIRS}{NEIGHBOURS}{_ON}"),
    re.compile(rf"(?i)(?P<subject>.+?)(?:'s|’s|s')\s+{NEIGHBOURS}(?!\s+(?:say|said|told|found))(?P<on>.*)"),
    # "Statistical neighbours" is the DfE's term: any message that uses it asks for them, naming a council or "we".
    re.compile(r"(?i)(?P<subject>.*\bstat(?:istical)?s?\.?\s+neighbou?rs?\b.*)"),
)


def _judgement(text: str) -> str | None:
    """The one judgement the words name, or None for all of them."""
    named = [key for key in judgement_areas(text) if key != OVERALL_KEY]
    if named:
        return AREAS.get(named[0])
    return OVERALL if "overall" in text.lower() else None


_AROUND = re.compile(rf"(?i)\s*\b(?:and|vs\.?|v|versus|against|with|to|for|among|behind)?\s*(?:{_THEIRS})?"
                     rf"{NEIGHBOURS}.*$")
WE = re.compile(r"(?i)\b(?:we|us|our)\b")


def build(request: Request) -> Comparison:
    """The council the words name (or, for "we", the one a thread is about), beside its neighbours, on the judgement
    they name (or all five)."""
    knowledge = request.knowledge
    ours = request.options.get("councils") or ()
    known = set(by_name()) | knowledge.local_authorities
    named = [la for la in parse_query(request.text).local_authorities if la in known]
    if not named and WE.search(request.text) and len(ours) == 1:
        council = ours[0]
    else:  # "Reading and its statistical neighbours": the words before the neighbours are the council's name
        before = _AROUND.sub("", request.text).strip(" -:?,.") if not named else ""
        council = find_local_authority(before or request.text, known)
    judgement = _judgement(request.options.get("judgement") or request.text)
    return compare_with_neighbours(knowledge, council, judgement)


def render_neighbours(comparison: Comparison) -> str:
    """The comparison as text: a line per council with its inspection and grades, then the count lines."""
    lines = [f"{comparison.local_authority} and its statistical neighbours (DfE), closest first: latest graded "
             f"inspection each", ""]
    for row in comparison.rows:
        mark = "* " if row.asked else "  "
        if row.report is None:
            why = "no graded inspection in the reports I hold" if row.held else "no reports held"
            lines.append(f"{mark}{row.local_authority}: {why}")
            continue
        grades = "; ".join(f"{short_name(j)}: {grade_words(row.report, j, row.grade(j))}"
                           for j in comparison.judgements)
        lines.append(f"{mark}{row.local_authority}: {framework_label(row.report)}, "
                     f"{display_date(row.report.published)} · {grades}" + (f" {row.report.url}" if row.report.url
                                                                              else ""))
    lines += ["", *(count_line(comparison, j) for j in comparison.judgements)]
    return "\n".join(lines) + "\n"


def chart(comparison: Comparison, _knowledge) -> Grid:
    """Eleven councils by the judgements compared, each cell its grade."""
    return grid_of(comparison)


def paper(comparison: Comparison, _knowledge, today, draw) -> tuple[str, bytes]:
    """The comparison as a Word document: the grid, its table and the count lines, every report cited."""
    from bot.leaders.document import neighbours_document  # python-docx loads on the first paper, not at start

    grid = grid_of(comparison)
    return (f"Neighbours {comparison.local_authority} {today.isoformat()}",
            neighbours_document(comparison, grid, draw(grid), today))


_WHICH = re.compile(rf"(?i)^\W*(?:are\s+)?{ACROSS}\b")


def _subject_is_council(subject: str) -> bool:
    # "we" stands for the council of the thread it is asked in; anything else must name one. "Which of Reading's
    # neighbours are outstanding?" asks for a list across them, which the grades list answers, not this table.
    return bool(re.search(r"[A-Za-z]{2,}", subject)) and not _WHICH.search(subject)


FEATURE = Feature(
    name="neighbours", words=("neighbours", "neighbors", "neighbour"), argument="<local authority> [judgement]",
    optional=False, help="a council beside its ten statistical neighbours, each with its latest grades.", order=4,
    build=build, text=render_neighbours, json=Comparison.to_json, asked=ASKED, accepts=_subject_is_council,
    chart=chart, paper=paper, options=(Option("judgement", "Only this judgement, e.g. 'care leavers'."),),
)
