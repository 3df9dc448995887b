"""Slack mrkdwn made safe: escape document and user text, link only report URLs, trim without hiding it."""

import re
from urllib.parse import urlsplit

TRIMMED = "… (trimmed)"
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
# Printable ASCII only, and nothing that could end Slack's <url|label> early: a bidi control or a look-alike
# letter in a link would show the reader one address and open another.
_UNSAFE_URL = re.compile(r"[^\x21-\x7e]|[|<>\"]")
# Every line break str.splitlines() knows, as one "\n": a block quote marks each line with ">", so the count
# of lines must be the count of "\n".
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Characters a reader never sees as text, dropped from what is shown (a quote's visible characters are
# untouched): C0 and C1 controls other than tab and newline, which Slack shows as boxes or not at all, and
# bidi controls, which can make a quote read backwards and carry the reversal into our attribution and link.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A surrogate on its own is half of a character: it cannot be encoded as UTF-8, so no JSON carrying it is valid.
_SURROGATE = re.compile("[\ud800-\udfff]")


def visible(text: str) -> str:
    """Text as it can be shown: one kind of line break, no invisible controls, no half characters."""
    return _SURROGATE.sub("\ufffd", _INVISIBLE.sub("", _BREAKS.sub("\n", text)))


def escape(text: str) -> str:
    """Visible text with &, < and > escaped, the only characters Slack reads as markup: no mention or link survives."""
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str) -> bool:
    """True for an absolute http(s) URL that cannot break out of Slack's <url|label> syntax."""
    if not url or _UNSAFE_URL.search(url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def link(url: str, label: str) -> str:
    """A mrkdwn link with an escaped label, or just the escaped label when the URL is not safe."""
    return f"<{url}|{escape(label)}>" if safe_url(url) else escape(label)


def length(text: str) -> int:
    """Length in UTF-16 code units, as JavaScript counts it: an emoji counts twice."""
    # Slack does not say how it counts its limits; measuring the longer way keeps within them either way.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _prefix(text: str, units: int) -> str:
    """The longest start of `text` that is at most `units` long, by `length`."""
    cut = text[:units]
    if length(cut) <= units:
        return cut
    total = 0
    for at, char in enumerate(cut):
        total += 2 if char > "\uffff" else 1
        if total > units:
            return cut[:at]
    return cut


def trim(escaped: str, limit: int, marker: str = TRIMMED) -> str:
    """Cut escaped text to `limit` (by `length`), saying so, without splitting an entity such as &amp;."""
    if length(escaped) <= limit:
        return escaped
    cut = _PARTIAL_ENTITY.sub("", _prefix(escaped, max(0, limit - length(marker))))
    space = cut.rfind(" ")
    if space > len(cut) * 0.8:
        cut = cut[:space]  # end at a word when one is near
    return cut.rstrip() + marker


def blockquote(escaped: str) -> str:
    """Quote escaped text in curly quotes, every line marked as a mrkdwn block quote."""
    lines = f"“{escaped.strip()}”".splitlines() or [""]
    return "\n".join(f">{line}" for line in lines)
