"""Hostile text in questions and reports, end to end: never a ping, mention or link, invalid JSON or a crash."""

import json
import re
import urllib.parse

import pytest
from structlog.testing import capture_logs

from bot.slack.blocks import SHARE
from bot.slack.message import MAX_QUESTION, plain_text
from bot.slack.mrkdwn import visible
from bot.slack.wording import too_long
from tests.slack_fake import (
    BOT_USER,
    INVISIBLE,
    action_payload,
    command_form,
    make_settings,
    message_event,
    post_signed,
    running_fake,
    running_http,
    slack_problems,
)
from tests.slack_kb import quotes, sources

# Questions as Slack delivers a message's text: what people type as @channel or a link arrives as markup, and
# what they type as "<" arrives escaped. JSON can carry a lone surrogate, which no UTF-8 text can.
QUESTIONS = [
    "<!channel> how is Dorset doing?",
    "<!here> supervision in Essex",
    "<!everyone> what about care leavers?",
    "ask <@U123> and <@U124|sam> about <#C123> and <#C124|general>",
    "<!subteam^S123> and <!subteam^S124|@leads> on the front door",
    "see <https://evil.example|click> or https://evil.example and <mailto:a@evil.example|mail>",
    "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp;lt;",
    "*bold* _it_ ~strike~ `code` ```block``` &gt; quote [click](https://evil.example) @channel #general",
    '"quotes" \\ back\\slashes \\" }] {"blocks": [}] ]}',
    "lone \ud800 and \udfff surrogates, NUL \x00, \x01\x07\x1b[31m controls \x7f\x85 and C1 \x9b",
    "right-to-left \u202eesrever\u202c, isolates \u2066Dorset\u2069 \u2067x\u2068y\u2069 and marks \u200e\u200f\u061c",
]
RAW_FORMS = ("<!channel>", "<!here>", "<!everyone>", "<@U", "<#C", "<!subteam", "<https://evil", "<mailto:")


def _everything(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False)


def _question_lines(logs: list[dict]) -> list[dict]:
    assert not [entry for entry in logs if entry["event"] == "slack.worker_failed"]
    return [entry for entry in logs if entry["event"] == "slack.question"]


def _command(app, text: str, response_url: str, user: str) -> int:
    """/findings with any text, sent as Slack sends a form: a lone surrogate goes as the bytes it would be."""
    form = command_form("PLACEHOLDER", response_url, user=user)
    quoted = urllib.parse.quote_plus(text, errors="surrogatepass")  # %ED%A0%80: not UTF-8, as a hostile client sends
    return post_signed(app.url, form.replace("text=PLACEHOLDER", f"text={quoted}"),
                       "application/x-www-form-urlencoded")[0]


@pytest.fixture
def app(tmp_path, engine):
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        yield harness


def test_hostile_mentions_are_answered_with_nothing_raw(app):
    """Each hostile @mention gets one inert answer in valid UTF-8 JSON, and the engine sees plain visible text."""
    with capture_logs() as logs:
        for i, text in enumerate(QUESTIONS):
            event = message_event(f"<@{BOT_USER}> {text}", ts=f"30.{i:06d}", kind="app_mention", user=f"U0HOST{i}")
            assert app.post_event(event)[0] == 200
        posts = app.slack.wait_for("chat.postMessage", len(QUESTIONS))
        app.slack.settle(0.2)
    assert len(app.slack.bodies("chat.postMessage")) == len(QUESTIONS)
    assert sorted(post["thread_ts"] for post in posts) == [f"30.{i:06d}" for i in range(len(QUESTIONS))]
    for post in posts:
        assert slack_problems(post) == [], post
        assert not any(raw in _everything(post) for raw in RAW_FORMS)
    asked = [question for question, _ in app.answerer.calls]
    assert len(asked) == len(QUESTIONS) and not any(INVISIBLE.search(q) for q in asked)
    assert "@channel how is Dorset doing?" in asked and "see click or https://evil.example and mail" in asked
    assert "right-to-left esrever, isolates Dorset xy and marks" in asked
    outcomes = [line["outcome"] for line in _question_lines(logs)]
    assert len(outcomes) == len(QUESTIONS) and set(outcomes) == {"answered", "refused"}  # never an error


def test_hostile_commands_are_answered_privately_and_shared_safely(app):
    """Each hostile /findings question gets an ephemeral answer; Share posts it with the question shown back escaped."""
    for i, text in enumerate(QUESTIONS):
        assert _command(app, text, app.slack.response_url(f"q{i}"), f"U0CMD{i}") == 200
    replies = app.slack.wait_for("response_url", len(QUESTIONS))
    answer_ids = []
    for reply in replies:
        assert slack_problems(reply) == [] and reply["response_type"] == "ephemeral", reply
        answer_ids.append(reply["blocks"][-1]["elements"][0]["value"])
    for i, answer_id in enumerate(answer_ids):
        app.post_action(action_payload(SHARE, answer_id, app.slack.response_url(f"s{i}"), user=f"U0CMD{i}"))
    shared = app.slack.wait_for("chat.postMessage", len(QUESTIONS))
    headers = [post["blocks"][0]["elements"][0]["text"] for post in shared]
    for post in shared:
        assert slack_problems(post) == [], post  # no "<" but the sharer's own <@U…> shared
    assert any("an answer to “&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|click&gt; &amp;lt;”" in header
               for header in headers)
    assert any(re.search("lone \ufffd+ and \ufffd+ surrogates", header) for header in headers)


def test_a_40000_character_question_gets_one_reply_asking_for_less(app):
    """A 40,000-character paste by mention or /findings gets one reply naming the limit; the engine is not asked."""
    paste = ("<!channel> supervision in Dorset \u202e\x00 " * 1200)[:40_000]
    asked = f"<@{BOT_USER}> {paste}"
    with capture_logs() as logs:
        app.post_event(message_event(asked, ts="31.000001", kind="app_mention"))
        [post] = app.slack.wait_for("chat.postMessage")
        app.post_command(paste, app.slack.response_url("long"))
        [reply] = app.slack.wait_for("response_url")
        app.slack.settle(0.2)
    chars = len(plain_text(paste))
    assert post["text"] == reply["text"] == too_long(chars, MAX_QUESTION)
    assert post["text"].startswith("Please ask a shorter question") and "2,000" in post["text"]
    assert slack_problems(post) == slack_problems(reply) == []
    assert len(app.slack.bodies("chat.postMessage")) == 1 and app.answerer.calls == []
    assert [line["outcome"] for line in _question_lines(logs)] == ["too_long", "too_long"]


ESCAPED_FORMS = (
    "&lt;!channel&gt;", "&lt;@U123&gt;", "&lt;!subteam^S123&gt;", "&lt;https://evil.example|click here&gt;",
    "&lt;!everyone&gt;", "&lt;!here&gt;", "&lt;#C123|general&gt;", "https://evil.example/policy",
)


def test_report_text_reaches_slack_verbatim_and_inert(tmp_path, engine):
    """Quotes from a hostile report reach Slack escaped and verbatim; its unsafe URL and its bidi control do not."""
    source = visible("\n".join(sources().values()))
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as app:
        app.post_event(message_event(f"<@{BOT_USER}> What did inspectors say about supervision in Rutland?",
                                     ts="32.000001", kind="app_mention"))
        app.post_event(message_event(f"<@{BOT_USER}> <!channel> \ud800\x00\u202e supervision in Rutland "
                                     "<https://evil.example|x> }]\\", ts="32.000002", kind="app_mention", user="U0B"))
        posts = fake.wait_for("chat.postMessage", 2, timeout=60)
        for i, sub in enumerate(("summary Rutland", "theme supervision", "judgements")):
            app.post_command(sub, fake.response_url(f"c{i}"), user=f"U0C{i}")
        commands = fake.wait_for("response_url", 3, timeout=60)
    quoted = [quote for body in posts + commands for quote in quotes(body)]
    assert len(quoted) >= 5
    assert all(quote in source for quote in quoted)  # verbatim, less only the invisible characters
    everything = "".join(_everything(body) for body in posts + commands)
    assert sum(form in everything for form in ESCAPED_FORMS) >= 5
    for body in posts + commands:
        assert slack_problems(body) == [] and not any(raw in _everything(body) for raw in RAW_FORMS), body
        assert "evil.example/report" not in _everything(body)  # the unsafe source_url is never linked
    assert all(post["blocks"][0]["text"]["text"].startswith("*") for post in posts)  # both answered
    assert "Focused visit to Rutland &lt;!channel&gt; children’s services ·" in everything
