"""Read an incoming Slack message: who, where, which thread, the question as plain text, and whether to answer."""

import re
from dataclasses import dataclass

from bot.slack.mrkdwn import visible

MENTION = "mention"
DM = "dm"
LISTEN = "listen"
THREAD = "thread"
# Plain messages, replies also sent to the channel, and messages with a file are questions; edits, deletions,
# joins and bot posts are not.
QUESTION_SUBTYPES = frozenset({"", "thread_broadcast", "file_share"})
# Far longer than any question. The model reads only the first 256 word pieces, and a pasted document would
# be searched as a blur of everything in it: such a message gets one reply asking for less, before any work.
MAX_QUESTION = 2000
_ENTITY = re.compile(r"<([^<>]*)>")
_CHATTER = re.compile(
    r"^\W*(?:(?:thanks?|thank\s+you|thx|ta|cheers|great|brilliant|perfect|nice|cool|ok(?:ay)?|got\s+it|"
    r"lovely|useful|helpful|that'?s?\s+(?:great|helpful|useful)|will\s+do|yes|no|sure)\W*)*"
    r"(?::[a-z0-9_+-]+:\W*)*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Incoming:
    """One message event, as much of it as the bot needs."""

    kind: str  # "app_mention" or "message"
    channel: str
    channel_type: str  # "channel", "group", "im", "mpim", or "" when Slack leaves it out (app_mention)
    user: str
    text: str  # Slack's markup, as sent
    ts: str
    thread_ts: str  # "" for a top-level message
    event_id: str
    bot_id: str = ""
    subtype: str = ""
    retry: int = 0

    @property
    def reply_ts(self) -> str:
        """Where the answer goes: the thread the message is in, or a new thread under it."""
        return self.thread_ts or self.ts

    @property
    def in_thread(self) -> bool:
        """True for a reply inside an existing thread."""
        return bool(self.thread_ts) and self.thread_ts != self.ts

    @property
    def keys(self) -> tuple[str, ...]:
        """Dedupe keys: the event id, and the message itself, which app_mention and message events share."""
        keys = (f"event:{self.event_id}",) if self.event_id else ()
        return keys + ((f"message:{self.channel}:{self.ts}",) if self.channel and self.ts else ())


def incoming(body: dict, retry: int = 0) -> Incoming:
    """The message in an Events API body; missing fields become empty strings."""
    event = body.get("event") or {}
    return Incoming(
        kind=str(event.get("type", "")),
        channel=str(event.get("channel", "")),
        channel_type=str(event.get("channel_type", "")),
        user=str(event.get("user", "")),
        text=str(event.get("text") or ""),
        ts=str(event.get("ts", "")),
        thread_ts=str(event.get("thread_ts") or ""),
        event_id=str(body.get("event_id", "")),
        bot_id=str(event.get("bot_id") or ""),
        subtype=str(event.get("subtype") or ""),
        retry=retry,
    )


def mentions(text: str, user_id: str) -> bool:
    """True when Slack markup mentions the user, as <@U123> or <@U123|name>."""
    return bool(user_id) and re.search(rf"<@{re.escape(user_id)}(?:\|[^>]*)?>", text) is not None


def _plain_entity(match: re.Match[str], bot_user_id: str) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "" if target[1:] == bot_user_id else (f"@{label}" if label else target)
    if target.startswith("#"):
        return f"#{label}" if label else target
    if target.startswith("!"):
        return label or f"@{target[1:].split('^')[0]}"
    return label or target


def plain_text(text: str, bot_user_id: str = "") -> str:
    """Slack markup as the plain question it stands for: the bot's mention dropped, links as their labels."""
    # Controls and lone surrogates go too: JSON can carry a surrogate, but hashing, embedding and posting need UTF-8.
    plain = _ENTITY.sub(lambda m: _plain_entity(m, bot_user_id), text)
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", visible(plain)).strip()


def is_chatter(text: str) -> bool:
    """True for a message that only thanks or acknowledges, which a follow-up answer would only clutter."""
    return _CHATTER.match(text) is not None


def route(msg: Incoming, bot_user_id: str, listen_channels: frozenset[str]) -> str:
    """How the bot should treat a message: MENTION, DM, LISTEN, THREAD (if it answered there), or "" to ignore."""
    if msg.bot_id or msg.subtype not in QUESTION_SUBTYPES or not msg.user or msg.user == bot_user_id:
        return ""  # never itself, never another bot, never an edit or a join
    if msg.kind == "app_mention":
        # A DM reaches the bot as a message event; answering the mention too would answer twice.
        return "" if msg.channel.startswith("D") or msg.channel_type == "im" else MENTION
    if msg.kind != "message":
        return ""
    text = plain_text(msg.text, bot_user_id)
    if msg.channel_type == "im":
        return "" if is_chatter(text) else DM
    if mentions(msg.text, bot_user_id):
        return ""  # Slack also sends app_mention for this message, and that one is answered
    if is_chatter(text):
        return ""
    if msg.in_thread:
        return THREAD
    return LISTEN if msg.channel in listen_channels else ""
