"""Structure-aware chunking: headings first, then size, keeping offsets into the source text."""

import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from bot.language.grades import GRADE_WORDS

CHUNK_SIZE = 1000
OPENING_SECTION = "Introduction"
_WORD = re.compile(r"[A-Za-z]{3,}")
# A Markdown heading, or a line that is wholly bold, which some converted letters use as a heading.
_HEADING = re.compile(r"^(?:(#{1,6})[ \t]+(.+?)[ \t]*#*|\*\*([^*\n]{3,200})\*\*)[ \t]*$", re.MULTILINE)
# Splitting falls back from paragraphs to lines to sentence ends, so numbered paragraphs and
# sentences stay whole unless a single one is longer than a chunk.
_SEPARATORS = [r"\n\s*\n", r"\n", r"(?<=[.!?…])\s+(?=\S)", r"(?<=[;:])\s+", r"\s+", ""]


@dataclass(frozen=True)
class Section:
    """A span of the source text under one heading path."""

    path: str
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A piece of a report's text, with its position so any excerpt can be cut from the source."""

    report_id: str
    index: int
    section: str
    start: int
    end: int
    text: str


def clean_heading(raw: str) -> str:
    """Strip Markdown emphasis, footnote markers and stray numbering from a heading."""
    text = re.sub(r"\*+|_{2,}", "", raw)
    text = re.sub(r"\[\d*\]", "", text)
    text = re.sub(r"^[\d.\s]*(?=[A-Za-z])", "", text)
    return re.sub(r"\s+", " ", text).strip(" .:")


def split_sections(text: str) -> list[Section]:
    """Split text at Markdown headings; the level-1 title is not part of any section path."""
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    path, start = OPENING_SECTION, 0
    for match in _HEADING.finditer(text):
        sections.append(Section(path, start, match.start()))
        level = len(match.group(1)) if match.group(1) else 2
        title = clean_heading(match.group(2) or match.group(3))
        if level == 1:
            stack, path = [], OPENING_SECTION
        else:
            stack = [(lvl, name) for lvl, name in stack if lvl < level] + [(level, title)]
            path = " > ".join(name for _, name in stack) or OPENING_SECTION
        # The heading line stays in its section's text: some headings are findings in their own right,
        # such as "Children's services in Norfolk are inadequate".
        start = match.start() if level > 1 else match.end()
    sections.append(Section(path, start, len(text)))
    return [s for s in sections if text[s.start : s.end].strip()]


def _splitter(size: int) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=size,
        chunk_overlap=0,
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
    )


def chunk_text(report_id: str, text: str, *, size: int = CHUNK_SIZE) -> list[Chunk]:
    """Cut a report into chunks that know their section and their offsets in `text`."""
    splitter = _splitter(size)
    chunks: list[Chunk] = []
    for section in split_sections(text):
        body = text[section.start : section.end]
        cursor = 0
        for piece in splitter.split_text(body):
            found = body.find(piece, cursor)
            if found < 0:  # the splitter only strips and splits, so this would be a bug
                raise ValueError(f"chunk not found in source of {report_id}")
            cursor = found + len(piece)
            # A stray footnote mark or rule is nothing to retrieve, nor a bare heading unless it is a judgement.
            if not _WORD.search(_HEADING.sub("", piece)) and not (_HEADING.search(piece) and GRADE_WORDS.search(piece)):
                continue
            start = section.start + found
            chunks.append(Chunk(report_id, len(chunks), section.path, start, start + len(piece), piece))
    return chunks
