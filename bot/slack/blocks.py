"""Block Kit for an answer: what was found, each quote with its attribution and link, and the buttons."""

from dataclasses import dataclass, field

from bot.answer import Answer, Excerpt, Filters
from bot.attribution import attribution_parts
from bot.language.reports import label
from bot.slack.mrkdwn import blockquote, escape, link, safe_url, trim, visible

# Slack's limits: 50 blocks a message, 3,000 characters a text object, 40,000 for the fallback text.
MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_FALLBACK = 39_000
VOTE_UP = "findings_vote_up"
VOTE_DOWN = "findings_vote_down"
SHARE = "findings_share"
SUMMARY = "findings_summary"  # an announcement's "Summary" button: the value is the council
DOWNLOAD = "findings_docx"  # "Download as Word": the value says which paper, e.g. "summary:Dorset"


@dataclass(frozen=True)
class Reply:
    """A message as Slack takes it: the plain-text fallback and the blocks."""

    text: str
    blocks: list[dict] = field(default_factory=list)


def mrkdwn_text(escaped: str) -> dict:
    """A mrkdwn text object, trimmed to Slack's limit and marked verbatim."""
    # Without verbatim Slack links bare URLs, e-mail addresses and #channel names and parses some @mentions
    # in the text it is given; a quote saying "see https://…" must stay text. Our own <url|label> links still work.
    return {"type": "mrkdwn", "text": trim(escaped, MAX_TEXT), "verbatim": True}


def section(mrkdwn: str) -> dict:
    """A section block of mrkdwn that the caller has already escaped; trimmed to Slack's limit."""
    return {"type": "section", "text": mrkdwn_text(mrkdwn)}


def context(mrkdwn: str) -> dict:
    """A context block (small grey text) of escaped mrkdwn."""
    return {"type": "context", "elements": [mrkdwn_text(mrkdwn)]}


def notice(text: str) -> Reply:
    """A short message of our own wording, which may use mrkdwn."""
    return Reply(text, [section(text)])


def attribution(excerpt: Excerpt) -> str:
    """'— publisher · title · LA · date · section', escaped, with a link to the report when its URL is safe."""
    parts = [escape(part).strip() for part in attribution_parts(excerpt)]
    line = "— " + " · ".join(part for part in parts if part)  # a part may be all invisible characters
    if safe_url(excerpt.report.url):
        line += " · " + link(excerpt.report.url, "open the report")
    return line


def quote(excerpt: Excerpt) -> str:
    """The excerpt as a mrkdwn block quote, trimmed (and saying so) only if Slack could not take it whole."""
    escaped = escape(excerpt.text)
    label = f"*{escape(excerpt.label)}*\n" if excerpt.label else ""
    return label + blockquote(trim(escaped, MAX_TEXT - 3 - len(label) - escaped.count("\n")))


def scope_line(scope: Filters) -> str:
    """'Looking at: Dorset · from 2020 · focused visits', for the filters an answer was given under."""
    parts = [escape(", ".join(scope.local_authorities))] if scope.local_authorities else []
    parts += [escape(", ".join(scope.regions))] if scope.regions else []
    if scope.since and scope.until:
        parts.append(f"{scope.since}–{scope.until}" if scope.since != scope.until else str(scope.since))
    elif scope.since:
        parts.append(f"from {scope.since}")
    elif scope.until:
        parts.append(f"up to {scope.until}")
    if scope.report_type:
        parts.append(escape(label(scope.report_type)) + "s")
    return "Looking at: " + " · ".join(parts)


def buttons(answer_id: str, *, shareable: bool) -> dict:
    """👍/👎 on every answer, and 'Share in channel' on an ephemeral one."""
    elements = [
        {"type": "button", "action_id": VOTE_UP, "value": answer_id, "text": {"type": "plain_text", "text": "👍"}},
        {"type": "button", "action_id": VOTE_DOWN, "value": answer_id, "text": {"type": "plain_text", "text": "👎"}},
    ]
    if shareable:
        elements.append({
            "type": "button", "action_id": SHARE, "value": answer_id, "style": "primary",
            "text": {"type": "plain_text", "text": "Share in channel"},
        })
    return {"type": "actions", "block_id": f"findings:{answer_id}", "elements": elements}


def download_button(value: str) -> dict:
    """An actions block with the one "Download as Word" button; the paper comes privately, in a DM."""
    return {"type": "actions", "elements": [{
        "type": "button", "action_id": DOWNLOAD, "value": visible(value)[:2000],
        "text": {"type": "plain_text", "text": "Download as Word"},
    }]}


def fallback(answer: Answer) -> str:
    """The plain-text version Slack shows in notifications: escaped like the blocks, linking only safe URLs."""
    lines = [answer.reason]
    for excerpt in answer.excerpts:
        source = " · ".join(attribution_parts(excerpt))
        url = f" {excerpt.report.url}" if safe_url(excerpt.report.url) else ""
        label = f"{excerpt.label}: " if excerpt.label else ""
        lines.append(f"{label}“{excerpt.text}” — {source}{url}")
    return trim(escape("\n\n".join(lines)), MAX_FALLBACK)


def answer_reply(answer: Answer, answer_id: str, *, shareable: bool = False, header: str = "") -> Reply:
    """The whole answer as blocks within Slack's limits: excerpts that do not fit are dropped and counted."""
    top = [context(header)] if header else []
    summary = escape(answer.reason).strip()
    if summary:  # Slack rejects an empty text object, and with it the whole message
        top.append(section(f"*{summary}*" if answer.answered else summary))
    if answer.scope:
        top.append(context(scope_line(answer.scope)))
    bottom = [buttons(answer_id, shareable=shareable)]
    room = MAX_BLOCKS - len(top) - len(bottom)
    shown = answer.excerpts
    if 2 * len(shown) > room:
        shown = shown[: (room - 1) // 2]  # one block is kept for the line saying how many are not shown
    body: list[dict] = []
    for excerpt in shown:
        body += [section(quote(excerpt)), context(attribution(excerpt))]
    hidden = len(answer.excerpts) - len(shown)
    if hidden:
        body.append(context(f"{hidden} more excerpt{'s' * (hidden != 1)} not shown: ask a narrower question."))
    return Reply(fallback(answer), top + body + bottom)
