"""Judgement names and grades as Ofsted prints them, and where a report's text states them.

ILACS tables come in three layouts (2018–19: three judgements and overall; from 2019: four and overall; from
2026: four, no overall grade), with wording that drifts; SIF reports state their grades under headings.
"""

import re

from bot.language.areas import OVERALL_KEY, area, areas, ilacs_area
from bot.language.reports import ILACS, SIF
from bot.language.words import APOSTROPHES

# The judgement names, from the judgement-area table: its canonical (ILACS) wording of each.
LEADERS = area("impact of leaders").name
HELP = area("help and protection").name
IN_CARE = area("children in care").name
LEAVERS = area("care leavers").name
IN_CARE_AND_LEAVERS = area("children in care and care leavers").name  # 2018–19 layout
OVERALL = area(OVERALL_KEY).name
OUTSTANDING, GOOD, IMPROVE, INADEQUATE = "Outstanding", "Good", "Requires improvement to be good", "Inadequate"
GRADES = (OUTSTANDING, GOOD, IMPROVE, INADEQUATE)
_GRADE_WORDS = {"outstanding": OUTSTANDING, "good": GOOD, "inadequate": INADEQUATE}
# An ILACS row names its area by the area's key somewhere in its wording. Longest key first: the 2018–19 combined
# row also names "care leavers" and "children in care" (and Ofsted once printed "children care leavers").
_ILACS_ROWS = tuple((a.key, a.name) for a in sorted(areas(), key=lambda a: -len(a.key)) if a.ilacs)
SIF_ROWS = tuple(a.sif for a in areas() if a.sif)
_TABLE_ROW = re.compile(r"(?m)^\|\s*([^|\n]+?)\s*\|\s*([^|\n]+?)\s*\|[ \t]*$")
# The grades as inspectors and staff write them: the one spelling of the grade words every stage builds on.
GRADE_PATTERN = r"outstanding|good|inadequate|requires? improvement(?: to be good)?"
GRADE_WORDS = re.compile(rf"\b({GRADE_PATTERN})\b", re.IGNORECASE)
# Staff shorthand for "requires improvement to be good".
SHORT_IMPROVE = ("req imp", "ri")
NAMED_GRADE = re.compile(rf"\b({GRADE_PATTERN}|{'|'.join(SHORT_IMPROVE)})\b", re.IGNORECASE)
_GRADED_HEADING = re.compile(rf"(?im)^#+\s*(The (?:impact|experiences) .+?)\s*:\s*({GRADE_PATTERN})\.?[ \t]*$")
# "The overall judgement is (that children's services are) good" (2014), else "Children's services in X are good".
_SIF_OVERALL = (
    re.compile(r"(?im)^(?:#+\s*)?(The overall judgement is (?:that children.s services )?(?:are |is )?"
               rf"({GRADE_PATTERN})\b.*?)[ \t]*$"),
    re.compile(rf"(?im)^(?:#+\s*)?(Children.s services in .+?\s+(?:are\s+|is\s+)?({GRADE_PATTERN})\b.*?)[ \t]*$"),
)
_SIF_LABEL = re.compile(r"(?im)^(?:#+\s*)?(?:\d(?:\.\d)?\.?\s+)?(" + "|".join(SIF_ROWS) + r")\s*\n\s*(?:#+\s*)?"
                        rf"({GRADE_PATTERN})\.?[ \t]*$")


def normalise_grade(grade: str) -> str:
    """A grade in Ofsted's full wording: "requires improvement" becomes "Requires improvement to be good"."""
    folded = " ".join(grade.lower().split()).rstrip(".")
    if folded.startswith(("requires improvement", "require improvement")):
        return IMPROVE
    return _GRADE_WORDS.get(folded, grade.strip())


def full_grade(word: str) -> str:
    """A grade as a question names it ("RI", "req imp", "requires improvement") in Ofsted's full wording."""
    folded = " ".join(word.lower().split())
    return IMPROVE if folded in SHORT_IMPROVE else normalise_grade(word)


def canonical_judgement(label: str) -> str:
    """The canonical name of an ILACS judgement row, whichever year's wording it uses; other labels as printed."""
    folded = " ".join(label.translate(APOSTROPHES).lower().split()).rstrip(".")
    for phrase, name in _ILACS_ROWS:
        if phrase in folded:
            return name
    return " ".join(label.split()).rstrip(".")


def short_name(judgement: str) -> str:
    """A judgement's name for a compact table: "Care leavers" for "The experiences and progress of care leavers"."""
    found = ilacs_area(judgement)
    return found.short if found else judgement


def read_grades(text: str, report_type: str) -> tuple[dict[str, str], dict[str, tuple[int, int]], int]:
    """Judgement → grade, where each judgement's label sits in the text, and where an ILACS table ends (or 0)."""
    if report_type == ILACS:
        judgements, rows, table_end = _table(text)
        if judgements:
            return judgements, rows, table_end
        return *_graded_headings(text), 0
    if report_type == SIF:
        return *_sif(text), 0
    return {}, {}, 0


def _table(text: str) -> tuple[dict[str, str], dict[str, tuple[int, int]], int]:
    """The ILACS judgement table: grades, the rows as printed, and where the table ends (0 if none)."""
    judgements: dict[str, str] = {}
    rows: dict[str, tuple[int, int]] = {}
    table_end = 0
    for match in _TABLE_ROW.finditer(text, 0, min(len(text), 8000)):
        label, grade = match.group(1), match.group(2)
        if label.lower() == "judgement" or set(label) <= set("-: "):
            table_end = match.end()
            continue
        name = canonical_judgement(label)
        judgements[name] = normalise_grade(grade)
        rows[name] = (match.start(1), match.end(1))
        table_end = match.end()
    return judgements, rows, table_end


def _graded_headings(text: str) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """Judgements from "## The experiences and progress of …: good" headings, for a report with no table."""
    judgements: dict[str, str] = {}
    rows: dict[str, tuple[int, int]] = {}
    for match in _GRADED_HEADING.finditer(text):
        name = canonical_judgement(match.group(1))
        if name not in judgements:
            judgements[name] = normalise_grade(match.group(2))
            rows[name] = (match.start(1), match.end(1))
    return judgements, rows


def _sif(text: str) -> tuple[dict[str, str], dict[str, tuple[int, int]]]:
    """A SIF report's opening judgements: the overall statement and the graded areas listed under it."""
    head = text[: min(len(text), 8000)]
    judgements: dict[str, str] = {}
    rows: dict[str, tuple[int, int]] = {}
    overall = _SIF_OVERALL[0].search(head) or _SIF_OVERALL[1].search(head)
    if overall:
        judgements[OVERALL] = normalise_grade(overall.group(2))
        rows[OVERALL] = (overall.start(1), overall.end(1))
    for match in _SIF_LABEL.finditer(head):
        name = next(n for n in SIF_ROWS if n.lower() == match.group(1).lower())
        if name not in judgements:
            judgements[name] = normalise_grade(match.group(2))
            rows[name] = (match.start(1), match.end(1))
    return judgements, rows
