"""How a quote's source is shown: the same fields, in the same order, in the terminal and in Slack."""

import datetime as dt
import re
from urllib.parse import urlsplit

from bot.answer import Answer, Excerpt

SECONDARY_LABEL = "secondary source"
# Printable ASCII only, and nothing that could end Slack's <url|label> early: a bidi control or a look-alike
# letter in a link would show the reader one address and open another.
_UNSAFE_URL = re.compile(r"[^\x21-\x7e]|[|<>\"]")
# Shown wherever Ofsted's text is reused: the attribution the Open Government Licence v3.0 asks for.
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


def display_date(published: str) -> str:
    """'2025-05-09' as '9 May 2025'; a year-month or a year as given, spelled out."""
    try:
        if len(published) == 10:
            date = dt.date.fromisoformat(published)
            return f"{date.day} {date:%B %Y}"
        if len(published) == 7:
            return dt.date.fromisoformat(published + "-01").strftime("%B %Y")
    except ValueError:
        pass
    return published


def attribution_parts(excerpt: Excerpt) -> list[str]:
    """Publisher · report title · local authority · published date · section, skipping unknown fields."""
    report = excerpt.report
    parts = [report.publisher, report.title, report.local_authority, display_date(report.published), excerpt.section]
    if report.secondary:
        parts.insert(0, SECONDARY_LABEL)
    return [part for part in parts if part]


def render_text(answer: Answer) -> str:
    """The answer as plain text: a summary line, then each quote with its attribution and link."""
    if not answer.answered:
        return answer.reason
    lines = [answer.reason, ""]
    for excerpt in answer.excerpts:
        if excerpt.label:
            lines.append(f"{excerpt.label}:")
        lines.append(f"> “{excerpt.text}”")
        lines.append("  — " + " · ".join(attribution_parts(excerpt)))
        if excerpt.report.url:
            lines.append(f"  {excerpt.report.url}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def safe_url(url: str) -> bool:
    """True for an absolute http(s) URL that cannot break out of a <url|label> link or a document's hyperlink."""
    if not url or _UNSAFE_URL.search(url):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
