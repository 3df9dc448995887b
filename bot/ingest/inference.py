"""Infer report metadata from the text of an Ofsted children's services report."""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from collections import Counter
from dataclasses import dataclass

from bot.language.councils import local_authorities, name_forms
from bot.language.grades import OVERALL, read_grades
from bot.language.reports import FILE_HINTS, ILACS, JTAI, NEWS, OTHER, TYPE_PATTERNS, is_visit
from bot.language.words import APOSTROPHES, fold_name

_MONTHS = "|".join(calendar.month_name[1:])  # to find dates; strptime reads them
_DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?:{_MONTHS}))?(?:,?\s+\d{{4}})?"
_DATE_RANGE = re.compile(rf"{_DAY_MONTH}(?:\s*(?:,\s*and|,|and|to|–|-|—)\s*{_DAY_MONTH})*")
_FULL_DATE = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})\s+(\d{{4}})\b")
# Phrases around a local authority's name in titles and addressees, removed before matching.
_LA_NOISE = re.compile(
    r"\b(the|london borough of|royal borough of|metropolitan borough of|council of the|city of|"
    r"metropolitan district council|metropolitan borough council|metropolitan borough|borough council|"
    r"county council|city council|district council|council|local authority|childrens services|"
    r"childrens social care services|children and families trust|children first|county|borough|city)\b"
)
@dataclass(frozen=True)
class Inferred:
    """Report metadata read from the text when there is no front matter or catalogue row."""

    title: str
    local_authority: str
    report_type: str
    inspection_dates: str
    published: str
    overall_effectiveness: str
    judgements: dict[str, str]
    lead_inspector: str


@functools.cache
def _la_index() -> dict[str, str]:
    """Folded name or alias to canonical name (bot/data/local_authorities.csv), leaving out ambiguous aliases."""
    return {form: names[0] for form, names in name_forms().items() if len(names) == 1}


def canonical_la(phrase: str) -> str:
    """The catalogue's name for the local authority in a title or addressee phrase, or ''."""
    folded = fold_name(phrase)
    index = _la_index()
    if folded in index:
        return index[folded]
    stripped = " ".join(_LA_NOISE.sub(" ", folded).split())
    if stripped in index:
        return index[stripped]
    found = [(len(k), v) for k, v in index.items() if re.search(rf"(?<![a-z0-9]){re.escape(k)}(?![a-z0-9])", folded)]
    return max(found)[1] if found else ""


def _clean(line: str) -> str:
    """A Markdown line without heading marks, footnote markers or trailing footnote digits."""
    line = re.sub(r"^#+\s*", "", line.strip())
    return re.sub(r"\s*\[\d+\]|(?<=[a-z])\d$", "", line).strip()


def _head(text: str, limit: int = 3000) -> str:
    """The opening of the report, where titles, dates and judgements are printed."""
    return text[:limit]


def report_type(text: str, file_name: str = "") -> str:
    """Classify the report from its opening wording, falling back to the file name."""
    head = _head(text).translate(APOSTROPHES)
    for pattern, kind in TYPE_PATTERNS:
        if pattern.search(head):
            return kind
    name = file_name.lower()
    for key, kind in FILE_HINTS.items():
        if key in name:
            return kind
    if re.search(r"\bOfsted\b", text) and re.search(r"\b(said|says|press release|published)\b", text, re.I):
        return NEWS
    return OTHER


def _title(text: str, kind: str, pdf_title: str | None) -> str:
    """The report's title as the catalogue writes it."""
    lines = [ln.strip() for ln in _head(text, 2500).splitlines() if ln.strip()]
    if is_visit(kind):
        for line in lines:
            if re.match(r"(#+\s*)?(Focused|Monitoring) visit (to|of) ", line):
                return _clean(line).rstrip(".")
    first = next((i for i, ln in enumerate(lines[:15]) if ln.startswith("#")), None)
    if first is None:
        return pdf_title or (_clean(lines[0]) if lines else "")
    subs: list[str] = []
    for line in lines[first + 1 : first + 6]:
        if re.match(r"(#+\s*)?(Inspection dates?|Report published|Lead inspector)", line):
            break
        if line.startswith("## ") or re.match(r"(Re-)?[Ii]nspection of |Review of ", line):
            subs.append(_clean(re.split(r"\s+Inspection dates?:", line)[0]))
        elif line.lower() != "and":
            break
    title = f"{_clean(lines[first])}: {' and '.join(subs)}" if subs else _clean(lines[first])
    return title.rstrip(".")


def _local_authority(text: str, title: str) -> str:
    """The local authority named in the title or addressee, else the one the text names most often."""
    patterns = (
        r"(?:Focused|Monitoring) visit (?:to|of) (.+?)(?: local authority)? children's services",
        r"Inspection of (.+?)(?: local authority)? children's services",
        r"^(.+?):\s*(?:Re-)?[Ii]nspection of",
        r"^(.+)$",
    )
    plain = title.translate(APOSTROPHES)
    for pattern in patterns:
        match = re.search(pattern, plain)
        if match and (name := canonical_la(match.group(1))):
            return name
    counts: Counter[str] = Counter()
    for name in local_authorities():
        counts[name] = len(re.findall(rf"(?<![A-Za-z]){re.escape(name)}(?![a-z])", text[:20000]))
    best, n = counts.most_common(1)[0]
    return best if n else ""


def _iso(match: re.Match[str]) -> str:
    """A day-month-year match as an ISO date."""
    try:
        return datetime.datetime.strptime(" ".join(match.groups()), "%d %B %Y").date().isoformat()
    except ValueError:  # a day the month does not have
        return ""


def printed_dates(text: str, kind: str, published: str) -> str:
    """The inspection or visit dates as printed; a year is added when a letter omits it."""
    head = _head(text).translate(APOSTROPHES)
    if is_visit(kind):
        anchor = re.search(r"(?i)visit to .{0,100}? (?:on|between) (?:the )?", head)
    else:
        anchor = re.search(r"Inspection dates?\s*:?\s*(?:#+\s*)?", head)
    if not anchor:
        return ""
    match = _DATE_RANGE.search(head, anchor.end(), anchor.end() + 200)
    if not match or match.start() > anchor.end() + 3:
        return ""
    dates = " ".join(match.group(0).split()).strip(" ,")
    if "between" in anchor.group(0):
        dates = dates.replace(" and ", " to ", 1)  # "between 3 and 5 November" is a range
    if not re.search(r"\d{4}", dates) and published:
        year = int(published[:4])
        last_month = re.findall(_MONTHS, dates)
        if last_month and datetime.datetime.strptime(last_month[-1], "%B").month > int(published[5:7]):
            year -= 1
        dates = f"{dates} {year}"
    return dates


def _published(text: str, kind: str, created: datetime.date | None) -> str:
    """Letter date for visit letters, printed publication date for SIF reports, else the PDF creation date."""
    head = _head(text, 1500)
    printed = re.search(rf"Report published\s*:?\s*(?:#+\s*)?(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})", head)
    if printed:
        return _iso(printed)
    if is_visit(kind) or kind == JTAI:
        for line in head.splitlines()[:12]:
            match = _FULL_DATE.fullmatch(line.strip())
            if match:
                return _iso(match)
    return created.isoformat() if created else ""


def lead_inspector(text: str) -> str:
    """The lead inspector, or the letter's signatory."""
    plain = text.translate(APOSTROPHES)
    tail = plain[-1500:]
    match = (
        re.search(r"(?i)(?<!deputy )lead inspector\s*:\s*(.+)", plain)
        or re.search(r"(?im)^(?:#+\s*)?lead inspector\s+(.+)", plain)
        or re.search(r"Yours? (?:sincerely|faithfully),?\s+(.+)", tail)
        or re.search(r"(?m)^(.+)\s+(?:#+\s*)?(?:Her|His) Majesty's Inspector\s*$", tail)
    )
    if not match:
        return ""
    name = re.split(r",|\s+(?:Her|His) Majesty's|\s+HMI\b|\s+\(", match.group(1))[0]
    return _clean(name)


def infer_metadata(
    text: str, *, file_name: str = "", created: datetime.date | None = None, pdf_title: str | None = None
) -> Inferred:
    """Infer title, local authority, type, dates and judgements from a report's text."""
    kind = report_type(text, file_name)
    title = _title(text, kind, pdf_title)
    published = _published(text, kind, created)
    judgements = read_grades(text, kind)[0] if kind == ILACS else {}
    return Inferred(
        title=title,
        # A PDF /Title is often a template leftover (Bradford's names Wakefield), so it never names the LA.
        local_authority=_local_authority(text, "" if title == pdf_title else title),
        report_type=kind,
        inspection_dates=printed_dates(text, kind, published),
        published=published,
        overall_effectiveness=judgements.get(OVERALL, ""),
        judgements=judgements,
        lead_inspector=lead_inspector(text),
    )
