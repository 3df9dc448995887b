"""The kinds of report: one row each in `bot/data/report_types.csv`, loaded once into frozen `ReportType`s.

Each has its key (as catalogues and front matter write it), its label and plural, whether the bot holds such
reports, whether they grade the council, whether they are a visit (and which), whether they are a secondary
source (news, press releases), the phrases staff use for it, and how Ofsted's provider pages describe it and
what a synced file of it is named (`findings sync`). Adding a kind of report is a row there.
"""

import functools
import re
from dataclasses import dataclass

from bot.datafiles import read_rows


@dataclass(frozen=True)
class ReportType:
    """One kind of report, as the table describes it."""

    key: str
    label: str  # "focused visit"
    plural: str  # "focused visits"
    held: bool  # the bot holds reports of this kind (others are refused by name: area SEND, schools)
    graded: bool  # gives the council judgements (an ILACS or SIF inspection)
    visit: str  # "focused" or "monitoring" for a visit, else ""
    secondary: bool  # reports on Ofsted rather than being Ofsted's own words
    phrases: tuple[str, ...]  # how staff name it in a question
    ofsted_link: str = ""  # how Ofsted's provider page describes it after "Children's services", for the sync
    slug: str = ""  # the middle of a synced file's name: "reading-focused-visit-2023-10-17"


def _yes(value: str) -> bool:
    return value == "yes"


@functools.cache
def report_types() -> dict[str, ReportType]:
    """Every kind of report, by key, in the table's order."""
    return {row["key"]: ReportType(row["key"], row["label"], row["plural"], _yes(row["held"]), _yes(row["graded"]),
                                   row["visit"], _yes(row["secondary"]),
                                   tuple(p for p in row["phrases"].split(";") if p), row["ofsted_link"], row["slug"])
            for row in read_rows("report_types.csv")}


def report_type(key: str) -> ReportType:
    """The kind of report with this key; an unknown key reads as a plain report."""
    return report_types().get(key) or report_types()[OTHER]


def held_types() -> tuple[str, ...]:
    """The keys of the kinds of report the bot holds."""
    return tuple(key for key, kind in report_types().items() if kind.held)


def graded_types() -> tuple[str, ...]:
    """The keys of the kinds of report that grade a council: ILACS and SIF inspections."""
    return tuple(key for key, kind in report_types().items() if kind.graded)


def type_phrases() -> tuple[tuple[str, str], ...]:
    """(phrase, key) for every phrase of every kind of report, in the table's order."""
    return tuple((phrase, key) for key, kind in report_types().items() for phrase in kind.phrases)


def label(key: str) -> str:
    """A kind of report in words ("focused visit"); an unknown key as written."""
    kind = report_types().get(key)
    return kind.label if kind else key


def is_focused_visit(key: str) -> bool:
    """True for a focused visit (a visit that looks at one area of practice)."""
    return report_type(key).visit == "focused"


def is_visit(key: str) -> bool:
    """True for a focused or monitoring visit."""
    return bool(report_type(key).visit)


# Keys of the kinds a rule must name (reading a framework's layout, recognising a document): the one place they
# are spelt in code; everything else about them is the table's.
ILACS = "ilacs_inspection"
SIF = "sif_inspection"
FOCUSED_VISIT = "focused_visit"
MONITORING_VISIT = "monitoring_visit"
JTAI = "jtai"
NEWS = "news"
OTHER = "other"

# How a document announces its kind: headings and opening sentences, checked in order (body text often mentions
# earlier visits in passing).
TYPE_PATTERNS = [
    (re.compile(p, re.IGNORECASE | re.MULTILINE), kind)
    for p, kind in (
        (
            r"^(#+\s*)?focused visit to |letter summarises the findings of (a|the) focused visit",
            FOCUSED_VISIT,
        ),
        (
            r"^(#+\s*)?monitoring visit (to|of) |summarises the findings of (a|the) monitoring visit",
            MONITORING_VISIT,
        ),
        (r"^(#+\s*)?joint targeted area inspection|findings of (a|the) joint targeted area", JTAI),
        (r"(re-)?inspection of services for children in need of help and protection", SIF),
        (r"inspection of looked after children services|^(#+\s*)?review of the effectiveness", OTHER),
        (r"inspection of .{0,80}children's (social care )?services|\|\s*judgement\s*\|", ILACS),
    )
]
# A word in a file's name that says its kind ("80429_dorset_focused_visit.pdf").
FILE_HINTS = {"focused": FOCUSED_VISIT, "monitoring": MONITORING_VISIT, "jtai": JTAI, "sif": SIF, "ilacs": ILACS}
