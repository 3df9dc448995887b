"""Extract Markdown-ish text and metadata from an Ofsted report PDF with pypdf."""

from __future__ import annotations

import datetime
import io
import logging
import re
import warnings
from dataclasses import dataclass

from pypdf import DocumentInformation, PdfReader
from pypdf.errors import LimitReachedError

from bot.errors import InputError
from bot.ingest.blocks import to_markdown
from bot.ingest.layout import page_lines

# pypdf logs and warns about every damaged object it recovers from, which Ofsted's PDFs have many of; what matters
# reaches the user as one InputError. Set once here: changing the level around each call raced between threads.
logging.getLogger("pypdf").setLevel(logging.CRITICAL + 1)
warnings.filterwarnings("ignore", module="pypdf")


@dataclass(frozen=True)
class PdfText:
    """The text of a report PDF and the metadata pypdf can read from it."""

    text: str
    pages: int
    created: datetime.date | None
    title: str | None


def _one_line(exc: Exception) -> str:
    """An exception as one short line for an InputError message."""
    # pypdf appends raw bytes of the damaged object after " @offset: b'...'"; they mean nothing to users.
    text = re.split(r" @\d+|: b'", str(exc))[0]
    return " ".join(text.split())[:160] or type(exc).__name__


def _metadata_date(meta: DocumentInformation | None, name: str) -> datetime.date | None:
    """A date from the PDF's metadata as pypdf parses it; None when absent or malformed."""
    try:
        value = getattr(meta, name) if meta is not None else None
    except (ValueError, TypeError):  # pypdf raises on a date it cannot parse
        return None
    return value.date() if value else None


def extract_pdf(data: bytes, *, max_pages: int = 2000) -> PdfText:
    """Read a report PDF into Markdown-ish text, raising InputError when it cannot be used."""
    if not data:
        raise InputError("file is empty")
    if b"%PDF-" not in data[:1024]:
        raise InputError("not a readable PDF: no PDF header")
    if b"%%EOF" not in data[-4096:]:
        raise InputError("not a readable PDF: file is truncated (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts(reader):
            raise InputError("PDF is encrypted")
        count = len(reader.pages)
        if count > max_pages:
            raise InputError(f"PDF has {count} pages, more than the limit of {max_pages}")
        raw = [page_lines(page, i) for i, page in enumerate(reader.pages)]
        height = float(reader.pages[0].mediabox.height) if count else 842.0
        meta = reader.metadata
        created = _metadata_date(meta, "creation_date") or _metadata_date(meta, "modification_date")
        title = str((meta or {}).get("/Title") or "").strip() or None
    except InputError:
        raise
    except LimitReachedError as exc:  # a decompression bomb or a runaway structure: pypdf stops at its limits
        raise _too_large(exc) from exc
    except Exception as exc:  # pypdf raises many exception types for damaged files
        raise InputError(f"not a readable PDF: {_one_line(exc)}") from exc
    text = to_markdown(raw, height)
    if not re.search(r"[A-Za-z0-9]", text):
        _check_streams(reader)
        raise InputError("PDF has no extractable text (scanned image?)")
    return PdfText(text=text, pages=count, created=created, title=title)


def _check_streams(reader: PdfReader) -> None:
    """Say so when a page's content could not be inflated within pypdf's limits (its text extraction is silent)."""
    for page in reader.pages:
        try:
            page.get_contents()
        except LimitReachedError as exc:
            raise _too_large(exc) from exc
        except Exception:  # a damaged page: the no-text message stands
            continue


def _too_large(exc: LimitReachedError) -> InputError:
    return InputError(f"PDF is too large to read safely ({_one_line(exc)})")


def _decrypts(reader: PdfReader) -> bool:
    """Open a PDF that is encrypted with an empty user password; False if it needs a password."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # a missing crypto backend counts as encrypted too
        return False
