"""Tests for the Block Kit builder and mrkdwn escaping: safe text, attribution, links and Slack's limits."""

import json
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import messages
from bot.answer import Answer, Excerpt, Filters
from bot.report import Report
from bot.slack.blocks import MAX_BLOCKS, MAX_FALLBACK, MAX_TEXT, answer_reply, attribution, scope_line
from bot.slack.mrkdwn import TRIMMED, escape, length, link, safe_url, trim, visible
from tests.slack_fake import HOSTILE_PIECES, slack_problems, text_fields

OFSTED = Report("r1", "Inspection of Dorset", "Dorset", "ilacs_inspection", "Ofsted", "2025-05-09",
                "https://files.ofsted.gov.uk/v1/file/1")
NEWS = Report("n1", "Care leavers <b>& you", "Reading", "news", "BBC News", "2018-03", "https://bbc.co.uk/x")
# Links the builder makes itself; any other "<" in the output would be markup from a document.
OUR_LINK = re.compile(r"<https://[^|<>\s]+\|open the report>")


def _excerpt(text: str, report: Report = OFSTED, n: int = 0) -> Excerpt:
    return Excerpt(text, report, "Leadership", 0.9, n, n + len(text), f"{report.id}:x:{n}")


def _all_text(blocks: list[dict]) -> list[str]:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return texts


@pytest.mark.parametrize(("raw", "safe"), [
    ("<!channel>", "&lt;!channel&gt;"), ("<@U123>", "&lt;@U123&gt;"), ("a & b", "a &amp; b"),
    ("<https://evil.example|click>", "&lt;https://evil.example|click&gt;"), ("&lt;", "&amp;lt;"),
])
def test_escape_neutralises_slack_markup(raw, safe):
    """&, < and > are escaped (& first), so mentions, @channel and links become plain text."""
    assert escape(raw) == safe


@pytest.mark.parametrize(("url", "ok"), [
    ("https://files.ofsted.gov.uk/v1/file/5", True), ("http://example.org/a?b=c&d=e", True),
    ("javascript:alert(1)", False), ("data:text/html,x", False), ("https://x.org/a|b", False),
    ("https://x.org/<x>", False), ("https://x.org/a b", False), ("//x.org/a", False), ("", False),
])
def test_only_plain_http_urls_become_links(url, ok):
    """A report URL is linked only if it is http(s) and cannot break out of <url|label>."""
    assert safe_url(url) is ok
    assert link(url, "a <b>").startswith("<") is ok


def test_trim_says_so_and_never_splits_an_entity():
    """Trimmed text ends with the marker, fits the limit and has no half of an &amp;."""
    text = escape("x&" * 100)
    cut = trim(text, 50)
    assert len(cut) <= 50 and cut.endswith(TRIMMED)
    assert not re.search(r"&[a-z]*" + re.escape(TRIMMED) + "$", cut)
    assert trim("short", 50) == "short"


def test_answer_has_summary_quotes_attributions_and_votes():
    """Summary line, then each quote with its attribution and link, then 👍/👎 carrying the answer id."""
    answer = Answer(True, "2 excerpts from 2 reports", [_excerpt("Quote one."), _excerpt("Two\nlines.", NEWS, 1)])
    blocks = answer_reply(answer, "ans1").blocks
    assert blocks[0]["text"]["text"] == "*2 excerpts from 2 reports*"
    assert blocks[1]["text"]["text"] == ">“Quote one.”"
    assert blocks[2]["elements"][0]["text"] == (
        "— Ofsted · Inspection of Dorset · Dorset · 9 May 2025 · Leadership · "
        "<https://files.ofsted.gov.uk/v1/file/1|open the report>"
    )
    assert blocks[3]["text"]["text"] == ">“Two\n>lines.”"
    assert blocks[4]["elements"][0]["text"].startswith(
        "— secondary source · BBC News · Care leavers &lt;b&gt;&amp; you · Reading · March 2018"
    )
    assert [(e["action_id"], e["value"]) for e in blocks[-1]["elements"]] == [
        ("findings_vote_up", "ans1"), ("findings_vote_down", "ans1")]


def test_share_button_only_when_asked_and_refusal_not_bold():
    """An ephemeral answer gets 'Share in channel'; a refusal's text is shown as is, escaped."""
    refusal = Answer(False, "I have no reports for <Wales>.")
    blocks = answer_reply(refusal, "r", shareable=True).blocks
    assert blocks[0]["text"]["text"] == "I have no reports for &lt;Wales&gt;."
    assert [e["action_id"] for e in blocks[-1]["elements"]][-1] == "findings_share"


def test_scope_line_names_the_filters():
    """The scope line says which councils, years and report type an answer was limited to."""
    dorset = Filters(("Dorset",), 2020, None, "focused_visit")
    assert scope_line(dorset) == "Looking at: Dorset · from 2020 · focused visits"
    assert scope_line(Filters(("A & B", "C"), 2019, 2021)) == "Looking at: A &amp; B, C · 2019–2021"
    assert scope_line(Filters(until=2018)) == "Looking at: up to 2018"


def test_long_quotes_are_trimmed_visibly_and_every_text_fits():
    """A quote longer than 3,000 characters (after escaping) is cut with '(trimmed)', never silently."""
    answer = Answer(True, "1 excerpt from 1 report", [_excerpt("Risk & need " * 400)])
    blocks = answer_reply(answer, "a").blocks
    assert all(len(text) <= MAX_TEXT for text in _all_text(blocks))
    assert blocks[1]["text"]["text"].endswith(TRIMMED + "”")


def test_too_many_excerpts_are_dropped_whole_and_counted():
    """With 60 excerpts the message stays within 50 blocks, says how many are not shown, and keeps the buttons."""
    answer = Answer(True, "60 excerpts from 1 report", [_excerpt(f"Finding {i}.", n=i) for i in range(60)],
                    Filters(("Dorset",)))
    reply = answer_reply(answer, "a", header="Shared")
    assert len(reply.blocks) <= MAX_BLOCKS and reply.blocks[-1]["type"] == "actions"
    shown = sum(1 for b in reply.blocks if b["type"] == "section" and b["text"]["text"].startswith(">“Finding"))
    note = reply.blocks[-2]["elements"][0]["text"]
    assert note == f"{60 - shown} more excerpts not shown: ask a narrower question." and shown >= 20


def test_fallback_text_is_escaped_and_under_slacks_limit():
    """The notification text is escaped like the blocks and cut below 40,000 characters."""
    answer = Answer(True, "many", [_excerpt("<!here> " + "x" * 5000, n=i) for i in range(20)])
    text = answer_reply(answer, "a").text
    assert len(text) <= MAX_FALLBACK and text.endswith(TRIMMED) and "<!here>" not in text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=4000), min_size=0, max_size=30), st.text(max_size=300))
def test_any_document_text_stays_inert_and_within_limits(texts, title):
    """Whatever the documents say, no raw markup reaches Slack and every limit holds."""
    report = Report("r", title, title, "news", title, "2020-01-01", "https://example.org/r")
    answer = Answer(bool(texts), title or "none", [_excerpt(t, report, i) for i, t in enumerate(texts)],
                    Filters((title,)) if title else Filters())
    reply = answer_reply(answer, "id", shareable=True, header=escape(title))
    assert len(reply.blocks) <= MAX_BLOCKS and len(reply.text) <= MAX_FALLBACK
    assert all(len(text) <= MAX_TEXT for text in _all_text(reply.blocks))
    for text in [*_all_text(reply.blocks), reply.text]:
        assert "<" not in OUR_LINK.sub("", text) and ">" not in re.sub(r"^>|\n>", "", OUR_LINK.sub("", text))
    json.dumps(reply.blocks)


@pytest.mark.parametrize(("raw", "shown"), [
    ("Dorset \u202eesrever\u202c \u2066isolated\u2069 \u200emarked\u200f \u061c", "Dorset esrever isolated marked "),
    ("NUL\x00 bell\x07 escape\x1b[31m del\x7f c1\x9b", "NUL bell escape[31m del c1"),
    ("a\r\nb\rc\x0bd\x0ce\x1cf\x85g\u2028h\u2029i", "a\nb\nc\nd\ne\nf\ng\nh\ni"),
    ("lone \ud800 \udfff", "lone \ufffd \ufffd"),
    *[(text, text) for text in ("tab\tand 😀, 👩\u200d👧, zero\u200bwidth", "“curly” & <b> * _ ~ ` > |")],
])
def test_visible_drops_only_what_no_reader_sees(raw, shown):
    """Controls and bidi marks go, breaks become "\\n", a lone surrogate becomes �; every visible character stays."""
    assert visible(raw) == shown
    assert escape(raw) == shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_trim_counts_characters_outside_the_bmp_twice():
    """3,000 emoji are 6,000 UTF-16 units, so they are cut to fit however Slack counts."""
    cut = trim("😀" * 3000, MAX_TEXT)
    assert length(cut) <= MAX_TEXT and cut.endswith(TRIMMED) and cut.startswith("😀" * 1000)
    assert length("a😀") == 3 and trim("😀" * 1500, MAX_TEXT) == "😀" * 1500


def test_every_text_object_is_verbatim_so_slack_links_nothing_itself():
    """A bare URL, an e-mail address or #channel in a quote stays text: every mrkdwn object is marked verbatim."""
    answer = Answer(True, "1 excerpt", [_excerpt("See https://evil.example, a@evil.example and #general.")],
                    Filters(("Dorset",)))
    reply = answer_reply(answer, "a", header="Shared")
    assert slack_problems({"text": reply.text, "blocks": reply.blocks}) == []
    objects = [owner for owner, _ in text_fields(reply.blocks) if owner.get("type") == "mrkdwn"]
    assert len(objects) == 5 and all(o["verbatim"] is True for o in objects)


def test_unicode_and_control_characters_in_a_url_are_never_linked():
    """A report URL with a bidi control, a non-ASCII letter or a control character is shown as no link at all."""
    for url in ("https://x.org/\u202efdp.exe", "https://еxample.org/", "https://x.org/\x00", "https://x.org/\ud800"):
        assert not safe_url(url)
        assert "open the report" not in attribution(_excerpt("Quote.", replace(OFSTED, url=url)))


# Slack markup, Block Kit JSON breakers and invisible characters, mixed into any text (lone surrogates included).
ANY_CHAR = st.characters(exclude_categories=())
PIECES = st.sampled_from(HOSTILE_PIECES)
ANY_TEXT = st.lists(st.one_of(PIECES, st.text(ANY_CHAR, max_size=20)), max_size=40).map("".join)
LONG = st.builds(lambda text, times: (text * times)[:9000], ANY_TEXT.filter(bool), st.integers(1, 3000))
URLS = st.one_of(st.just("https://files.ofsted.gov.uk/v1/file/1"), ANY_TEXT)


def _shown_quotes(blocks: list[dict]) -> list[str]:
    found = []
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "section" and text.startswith(">“"):
            joined = "\n".join(line.removeprefix(">") for line in text.split("\n"))[1:-1]
            found.append(joined.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    return found


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(ANY_TEXT, LONG), max_size=30), ANY_TEXT, ANY_TEXT, URLS, st.lists(ANY_TEXT, max_size=3),
       st.booleans())
def test_any_text_anywhere_in_an_answer_is_inert_verbatim_and_within_limits(texts, title, words, url, las, answered):
    """Arbitrary quotes, titles, URLs and names give inert Block Kit within limits, each quote whole or cut visibly."""
    report = Report("r", title, title, "focused_visit", title, "2020-01-01", url)
    excerpts = [_excerpt(text, report, i) for i, text in enumerate(texts)]
    reason = messages.found(len(texts), 1, 0) if answered else messages.not_mentioned([words])
    answer = Answer(answered, reason, excerpts, Filters(tuple(las), 2019, 2021))
    reply = answer_reply(answer, "id", shareable=True, header=f"Shared an answer to “{escape(words)}”")
    assert slack_problems({"text": reply.text, "blocks": reply.blocks}) == []
    for shown, excerpt in zip(_shown_quotes(reply.blocks), excerpts, strict=False):
        whole = visible(excerpt.text).strip()
        assert shown == whole or (shown.endswith(TRIMMED) and whole.startswith(shown.removesuffix(TRIMMED)))
