"""A council's provider page on Ofsted's site, read into the publications it links to.

Each report is an `<a class="publication-link" href="…pdf">` whose `<span class="nonvisual">` says what it is and
when it was published: "Children's services inspection, PDF - 09 May 2025". The two public scrapers the national
corpus came from read the page the same way (JT-39/ofsted-ilacs-scrape-tool, data-to-insight's focused-visit tool).
Parsed with the standard library's HTMLParser: a page is small and the structure is this one element.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from bot.errors import InputError
from bot.language.reports import report_types

_CHILDRENS = re.compile(r"(?i)\bchildren.?s\s+services\b")
_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})\s*$")


class ShapeError(InputError):
    """A provider page that no longer has the structure the sync reads."""


@dataclass(frozen=True)
class Publication:
    """One report linked from a provider page: its file's URL, what it is and when it was published."""

    url: str
    report_type: str
    published: str  # ISO date
    text: str  # the nonvisual description, as the page gives it


class _Links(HTMLParser):
    """Collects each publication link's href and the text of the nonvisual span inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._depth = 0  # inside the nonvisual span
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "a" and "publication-link" in classes:
            self._href, self._text = found.get("href") or "", []
        elif self._href is not None and tag == "span" and "nonvisual" in classes:
            self._depth = 1
        elif self._depth and tag == "span":
            self._depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._depth:
            self._depth -= 1
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._depth:
            self._text.append(data)


def _iso(text: str) -> str:
    match = _DATE.search(text)
    if not match:
        return ""
    try:
        return datetime.datetime.strptime(" ".join(match.groups()), "%d %B %Y").date().isoformat()
    except ValueError:
        return ""


def kind_of(text: str) -> str:
    """The report type a publication's description names, or '' for anything the sync does not take."""
    lowered = text.lower()
    if not _CHILDRENS.search(text):
        return ""
    # The report-type table says how Ofsted describes each kind it syncs; the longest words first, so a "focused
    # visit" is never taken for the shorter "inspection".
    kinds = sorted(((kind.ofsted_link, key) for key, kind in report_types().items() if kind.ofsted_link),
                   key=lambda item: -len(item[0]))
    return next((key for words, key in kinds if words in lowered), "")


def read_page(html: str, page_url: str) -> tuple[int, list[Publication]]:
    """How many publication links of any kind the page has (none at all means its shape has changed), and every
    children's services inspection, focused visit and monitoring visit among them, newest first as the page lists
    them, their links made absolute against the page's URL."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href, text in parser.links:
        kind, published = kind_of(text), _iso(text)
        if href and kind and published:
            found.append(Publication(urljoin(page_url, href), kind, published, text))
    return len(parser.links), found
