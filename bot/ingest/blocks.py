"""Positioned PDF lines into Markdown blocks: headings, paragraphs, list items, labels, tables and notes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.ingest.layout import Line, body_size, drop_furniture, split_column, split_footnotes
from bot.language.grades import OVERALL

_BULLETS = "◼■▪•●◦○\uf06e\uf0a7\uf0b7\uf0d8\uf02d\uf0fc−"
_NUMBERED = re.compile(r"\d{1,3}\.\s")
_LABELS = re.compile(
    r"(Inspection dates?|Lead inspector|Report published|Inspection date)\s*:", re.IGNORECASE
)
_SENTENCE_END = '.!?:;”’")'
_NOT_HEADING = re.compile(r"(Her|His) Majesty[’']s Inspector")
_GRADE_WORDS = {"outstanding", "good", "requires", "improvement", "to", "be", "inadequate", "not", "graded"}


@dataclass
class _Block:
    """A paragraph, heading, list item or table being assembled from lines."""

    kind: str  # "h1", "h2", "label", "p", "li", "num", "table" or "note"
    lines: list[Line]
    text: str
    breaks: bool = False  # keep line breaks, as in address blocks

    def render(self) -> str:
        """The block as Markdown."""
        prefix = {"h1": "# ", "h2": "## ", "li": "- "}.get(self.kind, "")
        return prefix + self.text


def to_markdown(raw: list[list[Line]], height: float) -> str:
    """Turn the lines of every page into Markdown blocks separated by blank lines."""
    size = body_size(raw)
    pages = drop_furniture(raw, height)
    blocks: list[_Block] = []
    pending: list[_Block] = []
    for lines in pages:
        lines = _drop_contents(lines, size)
        body, notes = split_footnotes(lines, size)
        i = 0
        while i < len(body):
            line = body[i]
            if re.match(r"Judgement\s+Grade\b", line.text) and line.bold:
                table, i = _table(body, i + 1)
                blocks.extend([*pending, table])
                pending = []
                continue
            parts = split_column(line, _GRADE_WORDS)
            if len(parts) > 1:
                body[i : i + 1] = parts
                line = parts[0]
            prev = blocks[-1] if blocks else None
            if prev and _continues(prev, line, first=i == 0, size=size):
                _append(prev, line)
            else:
                blocks.extend(pending)
                pending = []
                blocks.append(_start(line, size))
            i += 1
        pending.extend(_Block("note", n, _note_text(n)) for n in notes)
    blocks.extend(pending)
    return "\n\n".join(b.render() for b in blocks if b.text) + "\n"


def _drop_contents(lines: list[Line], size: float) -> list[Line]:
    """Drop a contents page: everything from a large 'Contents' title to the page end."""
    for i, line in enumerate(lines):
        if line.text == "Contents" and line.size > 1.3 * size:
            return lines[:i]
    return lines


def _kind(line: Line, size: float) -> str:
    """Classify a line as the start of a block."""
    text = line.text
    if text[0] in _BULLETS and (len(text) == 1 or text[1] == " " or text[0] in "◼\uf06e\uf0b7•"):
        return "li"
    if _LABELS.match(text):
        return "label"
    if line.size >= 1.6 * size:
        return "h1"
    if (line.bold or line.size >= 1.25 * size) and not _NOT_HEADING.match(text):
        return "h2"
    if _NUMBERED.match(text):
        return "num"
    return "p"


def _start(line: Line, size: float) -> _Block:
    """Open a new block with its first line."""
    kind = _kind(line, size)
    text = line.text
    if kind == "li":
        text = text[1:].strip()
    elif kind in ("h1", "h2"):
        text = line.superscripts_marked()
    return _Block(kind, [line], text)


def _continues(block: _Block, line: Line, *, first: bool, size: float) -> bool:
    """Whether a line carries on the block rather than starting a new one."""
    if block.kind in ("table", "note"):
        return False
    kind = _kind(line, size)
    last = block.lines[-1]
    if (
        kind in ("li", "num", "label")
        or abs(line.size - last.size) > 1.5
        or (_NOT_HEADING.match(line.text) and block.kind != "label")
    ):
        return False
    if block.kind in ("h1", "h2"):
        return kind == block.kind and not first and 0 < last.y - line.y <= 1.6 * line.size
    if block.kind == "label":
        # "Lead inspector: name" wraps onto an indented line that may be bold.
        return not first and line.x > block.lines[0].x + 2 and 0 < last.y - line.y <= 1.45 * line.size
    if kind != "p":
        return False
    if not first:
        return 0 < last.y - line.y <= 1.45 * max(line.size, last.size)
    # Across a page break: carry on when the sentence is unfinished or the line keeps a list's indent.
    if block.text.rstrip()[-1:] not in _SENTENCE_END or line.text[:1].islower():
        return True
    return block.kind in ("li", "num") and line.x > block.lines[0].x + 2


def _append(block: _Block, line: Line) -> None:
    """Add a line to a block, rejoining words and keeping hyphenated compounds whole."""
    text = line.superscripts_marked() if block.kind in ("h1", "h2") else line.text
    last = block.lines[-1].text
    if block.kind == "p" and len(block.lines) == 1 and len(last) < 45 and last[-1:] not in ".;":
        block.breaks = True
    block.lines.append(line)
    if block.breaks:
        block.text = f"{block.text}\n{text}"
    elif block.text.endswith(("-", "/")) and block.text[-2:-1].isalnum():
        block.text += text  # Word never hyphenates, so a line-end hyphen belongs to a compound
    elif block.text.endswith("–") and block.text[-2:-1].isdigit() and text[:1].isdigit():
        block.text += text  # a number range such as 2018–2020
    else:
        block.text = f"{block.text} {text}"


def _note_text(lines: list[Line]) -> str:
    """A footnote as `[n] text`."""
    first = lines[0].spans
    marker = next(s for s in first if s.text.strip())
    rest = " ".join(ln.text for ln in lines)[len(marker.text.strip()) :].strip()
    return f"[{marker.text.strip()}] {rest}"


def _table(lines: list[Line], i: int) -> tuple[_Block, int]:
    """Read the judgement grid that follows a 'Judgement Grade' header row."""
    header = lines[i - 1]
    grade_x = next((s.x for s in header.spans if s.text.strip().startswith("Grade")), 300.0) - 3
    rows: list[list[str]] = []
    label_x: float | None = None
    while i < len(lines):
        line = lines[i]
        label = " ".join("".join(s.text for s in line.spans if s.x < grade_x).split())
        grade = " ".join("".join(s.text for s in line.spans if s.x >= grade_x).split())
        x = next((s.x for s in line.spans if s.text.strip()), 0.0)
        if label and label_x is None:
            label_x = x
        # The grid ends where text leaves the label column or runs past it with something not a grade.
        if (label and abs(x - (label_x or x)) > 2) or not set(grade.lower().split()) <= _GRADE_WORDS:
            break
        if label:
            if rows and (label[:1].islower() or not rows[-1][1]):
                rows[-1][0] += " " + label
            elif re.match(r"(The|Overall)\b", label):
                rows.append([label, ""])
            else:
                break
        if grade and rows:
            rows[-1][1] = f"{rows[-1][1]} {grade}".strip()
        i += 1
        if rows and rows[-1][0].startswith(OVERALL) and rows[-1][1]:
            break
    body = ["| Judgement | Grade |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]
    return _Block("table", [header], "\n".join(body)), i
