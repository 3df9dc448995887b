"""Slack mrkdwn made safe: escape document and user text, link only report URLs, trim without hiding it."""

import re
from urllib.parse import urlsplit

TRIMMED = "… (trimmed)"
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")
_UNSAFE_URL = re.compile(r"[\s|<>\"\x00-\x1f\x7f]")


def escape(text: str) -> str:
    """Escape &, < and >, the only characters Slack reads as markup: no mention, @channel or link survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str) -> bool:
    """True for an absolute http(s) URL that cannot break out of Slack's <url|label> syntax."""
    if not url or _UNSAFE_URL.search(url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def link(url: str, label: str) -> str:
    """A mrkdwn link with an escaped label, or just the escaped label when the URL is not safe."""
    return f"<{url}|{escape(label)}>" if safe_url(url) else escape(label)


def trim(escaped: str, limit: int, marker: str = TRIMMED) -> str:
    """Cut escaped text to `limit` characters, saying so, without splitting an entity such as &amp;."""
    if len(escaped) <= limit:
        return escaped
    cut = _PARTIAL_ENTITY.sub("", escaped[: max(0, limit - len(marker))])
    space = cut.rfind(" ")
    if space > len(cut) * 0.8:
        cut = cut[:space]  # end at a word when one is near
    return cut.rstrip() + marker


def blockquote(escaped: str) -> str:
    """Quote escaped text in curly quotes, every line marked as a mrkdwn block quote."""
    lines = f"“{escaped.strip()}”".splitlines() or [""]
    return "\n".join(f">{line}" for line in lines)
