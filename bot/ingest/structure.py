"""What a report states in known places: its judgements, what needs to improve, its headline and a visit's focus.

Every piece is a `Span` cut from the report's text by offsets, so it can be quoted word for word.
"""

from __future__ import annotations

import re

from bot.ingest.chunker import Section, split_sections
from bot.ingest.inference import lead_inspector, printed_dates
from bot.language.grades import read_grades
from bot.language.reports import ILACS, is_visit
from bot.language.sections import IMPROVE_HEADING
from bot.language.sentence import split_sentences
from bot.report import Span, Structure

# A SIF's LSCB list that follows what needs to improve is about the board, not the LA.
_PLAIN_IMPROVE = re.compile(
    r"(?im)^(?:What needs to improve[^.\n]{0,60}?|Areas? for (?:priority action|improvement))[?:]?\d?[ \t]*$"
)
_LSCB = re.compile(r"\bLSCB\b|Local Safeguarding Children Board", re.I)
_HEADLINE_HEADING = re.compile(r"^(headline findings|overview|executive summary|summary|summary of findings)$", re.I)
_BECAUSE = re.compile(r"^(Children.s services in|This local authority) .+ because$", re.I)
# A visit's stated focus: "Inspectors looked at…", older "Inspectors considered…", and the 2020–21 COVID visits.
_FOCUS = re.compile(
    r"^(?:During this visit, |Specifically, )?(?:The )?[Ii]nspectors (?:looked at|considered|reviewed|evaluated|"
    r"focused on|examined|explored)(?! a range| a wide range| evidence)|^The focus of (?:this|the) visit was|"
    r"leading Ofsted.s work into how"
)
_FOOTNOTE = re.compile(r"^(?:\[\d+\]|\d{1,2}) [A-Z]")
_ITEM_PREFIX = re.compile(r"^(?:[-*•−–]\s+|\d{1,2}\.\s+)")
_SIGN_OFF = re.compile(r"^(?:Yours (?:sincerely|faithfully)|Ofsted will take the findings)", re.I)
_WORDS = re.compile(r"[A-Za-z]{3}")




def _span(text: str, start: int, end: int) -> Span:
    """A span with surrounding whitespace trimmed, so the quote starts and ends on words."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(text[start:end], start, end)


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line in text[start:end]."""
    found, at = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            found.append((at, at + len(line)))
        at += len(line) + 1
    return found


def _label(line: str) -> bool:
    """True for a short line with no closing punctuation: a label or address line rather than a sentence."""
    return len(line.split()) < 8 and not line.endswith((".", ")", ";", "?", "!", "”", "’"))


def _items(text: str, start: int, end: int) -> list[Span]:
    """The items of a list section: bullets, numbered points or short paragraphs, without lead-ins or footnotes."""
    items: list[Span] = []
    for line_start, line_end in _lines(text, start, end):
        line = text[line_start:line_end].strip()
        prefix = _ITEM_PREFIX.match(line)
        if _SIGN_OFF.match(line):
            break  # a letter's list is its last section: the sign-off follows
        if line.startswith(("#", "|")) or _FOOTNOTE.match(line) or line.endswith(":") or not _WORDS.search(line):
            continue  # a sub-heading, a footnote, a lead-in such as "the following areas:", or a stray mark
        if not prefix and (line[:1].islower() or _label(line)):
            continue  # the tail of a paragraph broken by a page footnote, or an unmarked label such as "Adoption"
        indent = len(text[line_start:line_end]) - len(text[line_start:line_end].lstrip())
        items.append(_span(text, line_start + indent + (prefix.end() if prefix else 0), line_end))
    return items


def _improvements(text: str, sections: list[Section]) -> tuple[Span, ...]:
    """The items listed under what needs to improve (or recommendations, or priority actions), in order."""
    items: list[Span] = []
    found = False
    for section in sections:
        heading = section.path.split(" > ")[-1]
        if found and _LSCB.search(section.path):
            break  # a SIF's board recommendations follow the local authority's
        if IMPROVE_HEADING.search(heading) and not _LSCB.search(section.path):
            found = True
            heading_end = text.find("\n", section.start, section.end)
            items += _items(text, heading_end if heading_end >= 0 else section.end, section.end)
    if not found and (plain := _PLAIN_IMPROVE.search(text)):
        # Some converted reports print the heading as a plain line; the list runs to the next heading.
        stop = next((s.start for s in sections if s.start > plain.end()), len(text))
        for line_start, line_end in _lines(text, plain.end(), stop):
            if not _ITEM_PREFIX.match(text[line_start:line_end].strip()):
                if items:
                    break  # a plain-line heading such as "Findings" ends the list
                continue
            items += _items(text, line_start, line_end)
    return tuple(items)


def _paragraphs(text: str, start: int, end: int) -> tuple[Span, ...]:
    """The prose paragraphs in a range: no headings, table rows, footnotes or bullets."""
    spans = []
    for line_start, line_end in _lines(text, start, end):
        line = text[line_start:line_end].strip()
        if line.startswith(("#", "|", "- ", "* ")) or _FOOTNOTE.match(line) or not _WORDS.search(line):
            continue
        if _label(line):
            continue  # an address line or a contents entry, not a paragraph
        spans.append(_span(text, line_start, line_end))
    return tuple(spans)


def _headline(text: str, report_type: str, table_end: int, sections: list[Section]) -> tuple[Span, ...]:
    """ILACS: the paragraphs between the judgement table and the next heading; else a headline or summary section."""
    if report_type == ILACS and table_end:
        stop = next((s.start for s in sections if s.start >= table_end), len(text))
        if (plain := _PLAIN_IMPROVE.search(text, table_end, stop)):
            stop = plain.start()
        if (found := _paragraphs(text, table_end, stop)):
            return found
    for section in sections:
        heading = section.path.split(" > ")[-1]
        found: tuple[Span, ...] = ()
        if _HEADLINE_HEADING.match(heading):
            found = _paragraphs(text, section.start, section.end)
        elif _BECAUSE.match(heading):  # 2014 SIF reports summarise as a list of reasons under the overall judgement
            heading_end = text.find("\n", section.start, section.end)
            found = tuple(_items(text, heading_end if heading_end >= 0 else section.end, section.end))
        if found:
            return found
    return ()


def _focus(text: str) -> Span | None:
    """A visit's "Inspectors looked at …" sentence, with the list of focus areas that follows it, if any."""
    opening = re.search(r"(?m)^(?:#+\s*)?\**(?:Focused|Monitoring) visit (?:to|of) ", text)
    start = opening.end() if opening else 0
    head = text[start : start + 5000]
    for unit in split_sentences(head):
        sentence = head[unit.start : unit.end]
        if unit.kind == "heading" and unit.start > 0:
            break  # the focus is stated before the first section
        if unit.kind != "sentence" or not _FOCUS.search(sentence):
            continue
        end = start + unit.end
        if sentence.rstrip().endswith(":"):
            for line_start, line_end in _lines(text, end, len(text)):
                if not _ITEM_PREFIX.match(text[line_start:line_end].strip()):
                    break
                end = line_end
        return _span(text, start + unit.start, end)
    return None


def extract_structure(text: str, report_type: str) -> Structure:
    """Read a report's judgements, improvement items, headline, focus, dates and lead inspector from its text."""

    sections = split_sections(text)
    judgements, offsets, table_end = read_grades(text, report_type)
    rows = {name: Span(text[start:end], start, end) for name, (start, end) in offsets.items()}
    visit = is_visit(report_type)
    return Structure(
        judgements=judgements,
        rows=rows,
        improvements=_improvements(text, sections),
        headline=_headline(text, report_type, table_end, sections),
        focus=_focus(text) if visit else None,
        inspection_dates=printed_dates(text, report_type, ""),
        lead_inspector=lead_inspector(text),
    )
