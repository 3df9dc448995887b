"""Read one knowledge file (Markdown, text, HTML or PDF) into its text and its attribution."""

import codecs
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputError
from bot.ingest.frontmatter import split_front_matter
from bot.ingest.inference import infer_metadata
from bot.ingest.markup import html_to_text
from bot.ingest.pdf import extract_pdf
from bot.ingest.structure import extract_structure
from bot.language.grades import OVERALL
from bot.language.reports import NEWS, OTHER, held_types
from bot.report import Report

SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text", ".html", ".htm", ".pdf"})
# Bump when parsing or chunking changes, so unchanged files are still re-read once.
PIPELINE_VERSION = "6"
_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


@dataclass(frozen=True)
class Source:
    """A parsed knowledge file: the exact text quotes are cut from, and its report."""

    report: Report
    text: str
    digest: str


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file, refusing empty and oversized ones with a clear reason."""
    size = path.stat().st_size
    if size == 0:
        raise InputError("file is empty")
    if size > max_bytes:
        raise InputError(f"file is {size / 1048576:.1f} MB, over the {max_bytes / 1048576:g} MB limit (MAX_FILE_MB)")
    return path.read_bytes()


def fingerprint(data: bytes, row: dict[str, str]) -> str:
    """A digest of everything that decides a report's chunks: bytes, catalogue row, pipeline version."""
    digest = hashlib.sha256(data)
    digest.update(json.dumps(row, sort_keys=True).encode())
    digest.update(PIPELINE_VERSION.encode())
    return digest.hexdigest()


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (or UTF-16 with a byte-order mark), refusing binary data and other encodings with the offset."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows "Unicode" text
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError("not valid UTF-16 text although it starts with a UTF-16 byte-order mark") from None
    control = _CONTROL.search(data)
    if control:
        at = control.start()
        raise InputError(f"binary data, not text (control byte 0x{data[at]:02x} at offset {at})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); re-save the file as UTF-8"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _publisher(given: str, report_type: str) -> str:
    # Front matter spells Ofsted's name out in full; the attribution line wants the short form.
    if given.lower().startswith("ofsted") or (not given and report_type != NEWS):
        return "Ofsted"
    return given


def read_source(path: Path, data: bytes, row: dict[str, str], *, max_pages: int = 2000) -> Source:
    """Parse a file's bytes; metadata comes from front matter, then the catalogue, then the text."""
    suffix = path.suffix.lower()
    created, pdf_title, meta = None, None, {}
    if suffix == ".pdf":
        pdf = extract_pdf(data, max_pages=max_pages)
        body, created, pdf_title = pdf.text, pdf.created, pdf.title
    elif suffix in (".html", ".htm"):
        body, pdf_title = html_to_text(decode_text(data))
    else:
        meta, body = split_front_matter(decode_text(data))
    body = body.lstrip("\n")
    if not re.search(r"[A-Za-z]{3,}", body):
        raise InputError("no text to index")
    guess = infer_metadata(body, file_name=path.name, created=created, pdf_title=pdf_title)

    def pick(name: str, inferred: object = "") -> str:
        return _as_text(meta.get(name)) or row.get(name, "") or _as_text(inferred)

    report_type = pick("report_type", guess.report_type)
    if report_type not in held_types():
        report_type = OTHER
    if report_type == OTHER and guess.report_type != OTHER:
        report_type = guess.report_type  # "other" says nothing; the text says which framework it is
    structure = extract_structure(body, report_type)
    report = Report(
        id=pick("id") or path.stem,
        title=pick("title", guess.title) or path.stem,
        local_authority=pick("local_authority", guess.local_authority),
        report_type=report_type,
        publisher=_publisher(pick("publisher"), report_type),
        published=pick("published", guess.published),
        url=pick("url"),
        inspection_dates=pick("inspection_dates", guess.inspection_dates),
        overall_effectiveness=pick("overall_effectiveness", structure.judgements.get(OVERALL, "")),
        judgements=dict(structure.judgements),
        lead_inspector=pick("lead_inspector", guess.lead_inspector),
        licence=pick("licence"),
        source_path=str(path),
        structure=structure,
    )
    return Source(report=report, text=body, digest=fingerprint(data, row))
