"""`neighbours <local authority> [judgement]`: the council beside its ten statistical neighbours, grade by grade."""

from __future__ import annotations

import re

from bot.attribution import display_date
from bot.language.areas import OVERALL_KEY
from bot.language.grades import OVERALL, short_name
from bot.language.neighbours import by_name
from bot.language.reports import label
from bot.leaders.briefing import find_local_authority
from bot.leaders.feature import Feature, Request
from bot.leaders.judgement_table import AREAS
from bot.leaders.neighbours import Comparison, compare_with_neighbours, count_line
from bot.retrieval.ranking import judgement_areas

_NEIGHBOURS = r"(?:stat(?:istical)?s?\.?\s+)?neighbou?rs?"
# "how does Reading compare with its statistical neighbours?", "Reading vs its stat neighbours on care leavers"
ASKED = (
    re.compile(rf"(?i)how\s+(?:does|do|is|are)\s+(?P<subject>.+?)\s+(?:compare|doing|stack up)\s+(?:with|to|against)"
               rf"\s+(?:its|their|the|our)\s+{_NEIGHBOURS}(?P<on>\s+on\s+.+?)?\s*[?.!]*"),
    re.compile(rf"(?i)(?P<subject>.+?)\s+(?:vs\.?|versus|compared\s+(?:with|to))\s+(?:its|their|the)\s+{_NEIGHBOURS}"
               rf"(?P<on>\s+on\s+.+?)?\s*[?.!]*"),
)


def _judgement(text: str) -> str | None:
    """The one judgement the words name, or None for all of them."""
    named = [key for key in judgement_areas(text) if key != OVERALL_KEY]
    if named:
        return AREAS.get(named[0])
    return OVERALL if "overall" in text.lower() else None


WE = re.compile(r"(?i)^(?:we|us)\b")


def build(request: Request) -> Comparison:
    """The council the words name (or, for "we", the one a thread is about), beside its neighbours, on the judgement
    they name (or all five)."""
    knowledge = request.knowledge
    ours = request.options.get("councils") or ()
    if WE.match(request.text) and len(ours) == 1:
        council = ours[0]
    else:
        council = find_local_authority(request.text, set(by_name()) | knowledge.local_authorities)
    return compare_with_neighbours(knowledge, council, _judgement(request.text))


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
        grades = "; ".join(f"{short_name(j)}: {row.grade(j) or 'not graded'}" for j in comparison.judgements)
        lines.append(f"{mark}{row.local_authority}: {label(row.report.report_type)}, "
                     f"{display_date(row.report.published)} · {grades}" + (f" {row.report.url}" if row.report.url
                                                                              else ""))
    lines += ["", *(count_line(comparison, j) for j in comparison.judgements)]
    return "\n".join(lines) + "\n"


def _subject_is_council(subject: str) -> bool:
    # "we" stands for the council of the thread it is asked in; anything else must name one.
    return bool(re.search(r"[A-Za-z]{2,}", subject))


FEATURE = Feature(
    name="neighbours", words=("neighbours", "neighbors", "neighbour"), argument="<local authority> [judgement]",
    optional=False, help="a council beside its ten statistical neighbours, each with its latest grades.", order=4,
    build=build, text=render_neighbours, json=Comparison.to_json, asked=ASKED, accepts=_subject_is_council,
)
