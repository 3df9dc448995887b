"""Tests for reading incoming messages: the question as plain text, and whether and how to answer."""

import json
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy import digest
from bot.slack.message import (
    DM,
    LISTEN,
    MAX_QUESTION,
    MENTION,
    THREAD,
    Incoming,
    incoming,
    is_chatter,
    plain_text,
    route,
)
from bot.slack.mrkdwn import escape
from tests.slack_fake import HOSTILE_PIECES, INVISIBLE

BOT = "UBOT"
LISTENED = frozenset({"C0ASK"})


def _msg(text: str = "How is Dorset?", **fields) -> Incoming:
    values = {"kind": "message", "channel": "C0TEAM", "channel_type": "channel", "user": "U1", "text": text,
              "ts": "1.1", "thread_ts": "", "event_id": "Ev1"} | fields
    return Incoming(**values)


@pytest.mark.parametrize(("slack", "plain"), [
    ("<@UBOT> How is Dorset?", "How is Dorset?"),
    ("<@UBOT|findings>   supervision\n in Essex", "supervision in Essex"),
    ("ask <@U123> about <#C1|team-room>", "ask @U123 about #team-room"),
    ("<@U123|sam> and <!here> and <!subteam^S1|@leads>", "@sam and @here and @leads"),
    ("see <https://ofsted.gov.uk|the report> or <https://x.org>", "see the report or https://x.org"),
    ("Essex &amp; Kent &lt;2020&gt;", "Essex & Kent <2020>"),
])
def test_plain_text_reads_slack_markup_as_the_question(slack, plain):
    """The bot's own mention is dropped, other mentions and links become their labels, entities are decoded."""
    assert plain_text(slack, BOT) == plain


@pytest.mark.parametrize(("msg", "expected"), [
    (_msg(kind="app_mention", text="<@UBOT> Dorset?", channel_type=""), MENTION),
    (_msg(kind="app_mention", text="<@UBOT> Dorset?", channel="D0DM", channel_type=""), ""),
    (_msg(channel="D0DM", channel_type="im"), DM),
    (_msg(channel="D0DM", channel_type="im", text="<@UBOT> Dorset?"), DM),
    (_msg(channel="C0ASK"), LISTEN),
    (_msg(channel="C0ASK", text="<@UBOT> Dorset?"), ""),  # its app_mention twin answers
    (_msg(channel="C0TEAM"), ""),
    (_msg(thread_ts="0.9"), THREAD),
    (_msg(thread_ts="0.9", text="thanks :tada:"), ""),
    (_msg(thread_ts="1.1", channel="C0ASK"), LISTEN),  # a thread parent is a top-level message
    (_msg(channel="C0ASK", subtype="thread_broadcast", thread_ts="0.9"), THREAD),
    (_msg(channel="C0ASK", subtype="message_changed"), ""),
    (_msg(channel="C0ASK", subtype="channel_join"), ""),
    (_msg(channel="C0ASK", bot_id="B2"), ""),
    (_msg(channel="C0ASK", user=BOT), ""),
    (_msg(channel="C0ASK", user=""), ""),
    (_msg(kind="reaction_added", channel="C0ASK"), ""),
])
def test_route_decides_who_answers(msg, expected):
    """Mentions, DMs, listened channels and thread follow-ups are answered; bots, edits and others' chat are not."""
    assert route(msg, BOT, LISTENED) == expected


def test_message_and_its_mention_share_a_dedupe_key():
    """The message event and the app_mention event for one message dedupe on channel and ts."""
    body = {"event_id": "Ev1", "event": {"type": "message", "channel": "C1", "ts": "5.5", "user": "U1", "text": "x"}}
    twin = {"event_id": "Ev2", "event": {"type": "app_mention", "channel": "C1", "ts": "5.5", "user": "U1"}}
    assert set(incoming(body).keys) & set(incoming(twin).keys) == {"message:C1:5.5"}
    assert incoming(body, retry=2).retry == 2 and incoming({}).channel == ""
    assert incoming({"event": {"type": "message"}}).keys == ()  # no id to dedupe on, rather than one shared key


def test_reply_goes_in_the_thread_or_starts_one():
    """A top-level message is answered in a new thread under it; a reply, in its own thread."""
    assert _msg(ts="2.2").reply_ts == "2.2" and _msg(ts="2.2", thread_ts="1.0").reply_ts == "1.0"


@pytest.mark.parametrize("text", ["thanks!", "Thank you :pray:", "ok", "cheers, great", ":+1:", "", "brilliant thx"])
def test_acknowledgements_are_chatter(text):
    """Thanks and acknowledgements in a thread are not questions."""
    assert is_chatter(text)


@pytest.mark.parametrize("text", ["and care leavers?", "thanks, and what about Essex?", "ok so how is Kent doing"])
def test_questions_are_not_chatter(text):
    """Anything with a question in it is answered, even after a thank-you."""
    assert not is_chatter(text)


@settings(max_examples=300)
@given(st.dictionaries(st.sampled_from(["type", "channel", "channel_type", "user", "text", "ts", "thread_ts",
                                        "bot_id", "subtype"]), st.one_of(st.text(max_size=80), st.none())),
       st.text(max_size=20))
def test_any_event_is_read_and_routed_without_raising(event, event_id):
    """Odd or partial events never raise; they are routed to a known answer."""
    msg = incoming({"event_id": event_id, "event": event})
    assert route(msg, BOT, LISTENED) in {"", MENTION, DM, LISTEN, THREAD}
    assert isinstance(plain_text(msg.text, BOT), str)


ANY_TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(st.characters(exclude_categories=()),
                                                                       max_size=20)), max_size=50).map("".join)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_any_message_text_becomes_one_line_of_plain_utf8_text(text):
    """Whatever a message holds, its question is one line of UTF-8 text, with no controls, that escapes to no markup."""
    question = plain_text(text, BOT)
    json.dumps(question, ensure_ascii=False).encode("utf-8")
    assert digest(question) and not INVISIBLE.search(question) and not re.search(r"\s\s|\n", question)
    assert question == question.strip() and len(question) <= len(text) and "<" not in escape(question)
    assert route(_msg(text, channel="D0DM", channel_type="im"), BOT, LISTENED) in {"", DM}


@pytest.mark.parametrize("text", [
    ("<!channel> <@U1|x> &lt;b&gt; thanks \u202e\x00 \ud800 " * 2000)[:40_000],
    "thanks " * 5700 + "x",
    ":+1::tada:" * 4000 + "x",
])
def test_a_40000_character_message_is_read_at_once(text):
    """A huge paste of markup, thanks or emoji is read and routed in well under a second, and is over the limit."""
    started = time.perf_counter()
    question = plain_text(text, BOT)
    how = route(_msg(text, channel="D0DM", channel_type="im"), BOT, LISTENED)
    assert time.perf_counter() - started < 0.5
    assert len(question) > MAX_QUESTION and how == DM
