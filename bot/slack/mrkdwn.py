"""Slack mrkdwn made safe: escape document and user text, link only report URLs, trim without hiding it."""

import re

from bot.attribution import safe_url
from bot.language.characters import visible

TRIMMED = "… (trimmed)"
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def escape(text: str) -> str:
    """Visible text with &, < and > escaped, the only characters Slack reads as markup: no mention or link survives."""
    return visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
