"""Positioned text lines from pypdf pages, with running headers, footers and letterhead removed."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from pypdf import PageObject

_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_PAGE_NUMBER = re.compile(r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A run of text drawn at one position in one font."""

    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Line:
    """One visual line of a page: its spans plus the position and font of its first visible text."""

    spans: tuple[Span, ...]
    page: int
    x: float
    y: float
    size: float
    bold: bool

    @property
    def text(self) -> str:
        """The line's text with runs of spaces collapsed."""
        return " ".join("".join(s.text for s in self.spans).split())

    def superscripts_marked(self) -> str:
        """The text with small raised digits written as ` [n]`, as footnote markers on headings are."""
        parts = []
        for span in self.spans:
            if _is_superscript(span, self.size):
                parts.append(f" [{span.text.strip()}]")
            else:
                parts.append(span.text)
        return " ".join("".join(parts).split())


def _is_superscript(span: Span, size: float) -> bool:
    """A digit run much smaller than the line's main text."""
    return span.text.strip().isdigit() and span.size < 0.8 * size


def _line(spans: list[Span], page: int) -> Line | None:
    """Build a Line from its spans, or None when it holds only whitespace."""
    visible = [s for s in spans if s.text.strip()]
    if not visible:
        return None
    weights: Counter[float] = Counter()
    bold = 0
    for s in visible:
        n = len(s.text.strip())
        weights[round(s.size, 1)] += n
        bold += n if s.bold else -n
    size = weights.most_common(1)[0][0]
    first = visible[0]
    return Line(tuple(spans), page, first.x, first.y, size, bold > 0)


def page_lines(page: PageObject, index: int) -> list[Line]:
    """Split a page's text into lines in content-stream order, keeping each span's position and font."""
    lines: list[Line] = []
    current: list[Span] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        # pypdf reports a line break as a trailing "\n" on the last fragment of the line.
        for k, part in enumerate(text.split("\n")):
            if k:
                line = _line(current, index)
                if line:
                    lines.append(line)
                current.clear()
            if part:
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                size = font_size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                name = str(font.get("/BaseFont", "")) if font else ""
                current.append(Span(part, x, y, size, bool(_BOLD.search(name))))

    page.extract_text(visitor_text=visit)
    tail = _line(current, index)
    if tail:
        lines.append(tail)
    return lines


def body_size(pages: list[list[Line]]) -> float:
    """The font size that carries most of the characters."""
    weights: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 12.0


def _key(text: str) -> str:
    """Compare running headers with page numbers and dates masked."""
    return re.sub(r"\d+", "#", text.lower())


def drop_furniture(pages: list[list[Line]], height: float) -> list[list[Line]]:
    """Remove running headers and footers, page numbers and the first-page Ofsted letterhead."""
    size = body_size(pages)
    margin = 0.1 * height

    def outer(line: Line) -> bool:
        return line.y < margin or line.y > height - margin

    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_key(line.text) for line in lines if outer(line)})
    repeated = {k for k, n in seen.items() if n >= 2 and n >= 0.5 * len(pages)}
    kept = []
    for lines in pages:
        ys = [line.y for line in lines]
        out = []
        for line in lines:
            text = line.text
            if outer(line) and _key(text) in repeated:
                continue
            # A bare number at the very top or bottom of the page is its page number.
            if _PAGE_NUMBER.fullmatch(text) and line.y in (min(ys), max(ys)):
                continue
            # Letters carry the Ofsted address in small type above the date on the first page only.
            if line.page == 0 and line.y > 0.75 * height and line.size < 0.9 * size:
                continue
            out.append(line)
        kept.append(out)
    return kept


def split_column(line: Line, words: set[str]) -> list[Line]:
    """Split off a right-hand column, such as the grades of the SIF judgement grid, made only of `words`."""
    for k, span in enumerate(line.spans):
        if not span.text.strip() or span.x < line.x + 200:
            continue
        before = [s for s in line.spans[:k] if s.text.strip()]
        rest = "".join(s.text for s in line.spans[k:])
        # pypdf gives no glyph widths to visitors, so estimate where the left-hand text ends.
        end = before[-1].x + 0.55 * before[-1].size * len(before[-1].text.rstrip()) if before else span.x
        if span.x - end > 2 * line.size and set(rest.lower().split()) <= words:
            left, right = _line(list(line.spans[:k]), line.page), _line(list(line.spans[k:]), line.page)
            return [part for part in (left, right) if part]
    return [line]


def split_footnotes(lines: list[Line], size: float) -> tuple[list[Line], list[list[Line]]]:
    """Separate the footnotes set in small type at the foot of a page from its body lines."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line.size >= 0.95 * size and not _is_superscript(line.spans[0], size):
            break
        if _is_superscript(next(s for s in line.spans if s.text.strip()), size):
            start = i
    notes: list[list[Line]] = []
    for line in lines[start:]:
        if _is_superscript(next(s for s in line.spans if s.text.strip()), size) or not notes:
            notes.append([line])
        else:
            notes[-1].append(line)
    return lines[:start], notes
