"""End to end over HTTP: signed Slack events into the real server, replies asserted on the fake Web API's bodies."""

import json
import logging
import threading
import time
import urllib.request

import pytest
from structlog.testing import capture_logs

from bot.answer import Filters
from tests.slack_fake import (
    BOT_ID,
    BOT_USER,
    event_body,
    make_settings,
    message_event,
    post_signed,
    running_fake,
    running_http,
    sign,
    until,
)
from tests.slack_kb import RecordingEngine, answered_about, attributions, quotes, sources

SOURCES = sources()


@pytest.fixture
def app(tmp_path, engine):
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        yield harness


def _texts(body: dict) -> str:
    """Every piece of text in a posted message: the fallback and all block text."""
    return body.get("text", "") + json.dumps(body.get("blocks", []), ensure_ascii=False)


def test_mention_gets_one_threaded_reply_with_quotes_attribution_and_link(app):
    """An @mention in a channel is answered once, in a thread under it, with each quote, its attribution and link."""
    question = "What did inspectors say about supervision in Dorset?"
    status, _ = app.post_event(message_event(f"<@{BOT_USER}> {question}", ts="1.000001", kind="app_mention"))
    assert status == 200
    [post] = app.slack.wait_for("chat.postMessage")
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 1
    assert post["channel"] == "C0TEAM" and post["thread_ts"] == "1.000001"
    assert post["unfurl_links"] is False and post["unfurl_media"] is False
    assert app.answerer.calls == [(question, None)]
    found, lines = quotes(post), attributions(post)
    assert post["blocks"][0]["text"]["text"].startswith(f"*{len(found)} excerpt")
    assert found and len(found) == len(lines) and all(quote in SOURCES["dorset-ilacs-2025-05-09"]
                                                      + SOURCES["dorset-focused-visit-2023-06-22"] for quote in found)
    dorset = [r for r in app.answerer.knowledge.reports.values() if r.local_authority == "Dorset"]
    for line in lines:  # publisher · title · council · date · section · link, all from the catalogue
        [report] = [r for r in dorset if f" · {r.title} · Dorset · " in line]
        assert line.startswith(f"— {report.publisher} · {report.title} · Dorset · ")
        assert line.endswith(f" · <{report.url}|open the report>") if report.url else "open the report" not in line
    assert [e["action_id"] for e in post["blocks"][-1]["elements"]] == ["findings_vote_up", "findings_vote_down"]
    assert post["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]


def test_document_text_cannot_ping_mention_or_link(app):
    """<!channel>, <@U…>, & and <url|label> from a report reach Slack escaped; an unsafe source URL is not linked."""
    app.post_event(message_event(f"<@{BOT_USER}> what about supervision in Rutland?", ts="1.000002",
                                 kind="app_mention"))
    [post] = app.slack.wait_for("chat.postMessage")
    everything = _texts(post)
    for raw in ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<https://evil.example"):
        assert raw not in everything
    assert "&lt;!channel&gt;" in post["text"] and "&lt;!channel&gt;" in json.dumps(post["blocks"], ensure_ascii=False)
    lines = attributions(post)
    assert lines and all("Rutland" in line and "open the report" not in line for line in lines)  # a |<!here> URL


def test_a_secondary_source_is_labelled_as_one(app):
    """A quote from the BBC's news story is attributed as a secondary source, publisher first."""
    app.post_event(message_event(f"<@{BOT_USER}> what did the BBC report about care leavers in Reading?",
                                 ts="1.000005", kind="app_mention"))
    [post] = app.slack.wait_for("chat.postMessage")
    news = [line for line in attributions(post) if "BBC News" in line]
    assert news and all(line.startswith("— secondary source · BBC News") for line in news)
    assert all(quote in SOURCES["bbc-news-2018-reading-leaving-care"] for quote in quotes(post))


def test_retry_of_an_event_in_hand_is_acked_but_not_answered_again(app):
    """Slack's retry of an event (same event id, X-Slack-Retry-Num) gets 200 and no second answer."""
    app.answerer.gate = threading.Event()  # hold the first answer in flight
    event = message_event(f"<@{BOT_USER}> supervision in Dorset", ts="1.000003", kind="app_mention")
    assert app.post_event(event, "EvRETRY")[0] == 200
    retried = app.post_event(event, "EvRETRY", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})
    assert retried[0] == 200
    app.answerer.gate.set()
    app.slack.wait_for("chat.postMessage")
    assert app.post_event(event, "EvRETRY", headers={"X-Slack-Retry-Num": "2"})[0] == 200  # and once it is done
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 1 and len(app.answerer.calls) == 1


def test_event_is_acked_before_the_answer_is_worked_out(app):
    """The HTTP response comes back while the answer is still being computed, so Slack never times out."""
    app.answerer.gate = threading.Event()
    started = time.monotonic()
    status, _ = app.post_event(message_event(f"<@{BOT_USER}> Dorset?", ts="1.000004", kind="app_mention"))
    assert status == 200 and time.monotonic() - started < 1.0
    assert app.slack.bodies("chat.postMessage") == []
    app.answerer.gate.set()
    app.slack.wait_for("chat.postMessage")


def test_mention_in_a_listened_channel_is_answered_once(app):
    """Slack sends both message and app_mention for a mention in a listened channel; only one reply is posted."""
    text = f"<@{BOT_USER}> care leavers in Dorset"
    app.post_event(message_event(text, ts="2.000001", channel="C0ASK"))
    app.post_event(message_event(text, ts="2.000001", channel="C0ASK", kind="app_mention"))
    app.slack.wait_for("chat.postMessage")
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 1


def test_listened_channel_needs_no_mention_but_other_channels_do(app):
    """A top-level message in a listened channel is answered in its thread; the same in another channel is not."""
    app.post_event(message_event("front door in Essex?", ts="2.000002", channel="C0OTHER"))
    app.post_event(message_event("front door in Essex?", ts="2.000003", channel="C0ASK2"))
    [post] = app.slack.wait_for("chat.postMessage")
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 1
    assert (post["channel"], post["thread_ts"]) == ("C0ASK2", "2.000003")


def test_direct_message_is_answered_in_its_thread(app):
    """A DM is answered, replying in a thread under it."""
    app.post_event(message_event("How is Dorset doing?", ts="3.000001", channel="D0DM", channel_type="im"))
    [post] = app.slack.wait_for("chat.postMessage")
    assert (post["channel"], post["thread_ts"]) == ("D0DM", "3.000001")
    assert answered_about(post, "Dorset")


def test_never_answers_itself_other_bots_or_edits(app):
    """Its own messages, other bots' messages and message_changed events in a listened channel get no reply."""
    app.post_event(message_event("Dorset?", ts="4.000001", channel="C0ASK", user=BOT_USER))
    app.post_event(message_event("Dorset?", ts="4.000002", channel="C0ASK", bot_id="B0OTHER", user="U0OTHERBOT"))
    app.post_event(message_event("Dorset?", ts="4.000003", channel="C0ASK", subtype="message_changed"))
    app.post_event(message_event("Dorset?", ts="4.000004", channel="C0ASK", subtype="bot_message", bot_id=BOT_ID))
    app.slack.settle(0.5)
    assert app.slack.bodies("chat.postMessage") == [] and app.answerer.calls == []


def test_bad_signature_and_stale_timestamp_get_401(app):
    """A wrong signature, or a correct one on a timestamp over five minutes old, is refused with 401."""
    body = json.dumps(event_body(message_event(f"<@{BOT_USER}> Dorset", ts="5.1", kind="app_mention"), "EvBAD"))
    now = int(time.time())
    wrong = post_signed(app.url, body, "application/json", signature=sign(body, now, "not-the-secret"))
    stale = post_signed(app.url, body, "application/json", timestamp=now - 301, signature=sign(body, now - 301))
    assert wrong[0] == 401 and stale[0] == 401
    assert post_signed(app.url, body, "application/json")[0] == 200  # the same body, signed now, is accepted
    app.slack.wait_for("chat.postMessage")


def test_url_verification_returns_the_challenge(app):
    """Slack's URL check when the request URL is saved gets its challenge back."""
    body = json.dumps({"token": "unused", "challenge": "c-123", "type": "url_verification"})
    status, text = post_signed(app.url, body, "application/json")
    assert status == 200 and "c-123" in text


def test_follow_up_in_a_thread_keeps_the_local_authority(app):
    """'and care leavers?' in the thread of a Dorset answer is asked about Dorset; naming Essex switches to Essex."""
    app.post_event(message_event(f"<@{BOT_USER}> How is Dorset doing?", ts="6.000001", kind="app_mention"))
    app.slack.wait_for("chat.postMessage")
    app.post_event(message_event("and care leavers?", ts="6.000002", thread_ts="6.000001"))
    second = app.slack.wait_for("chat.postMessage", 2)[1]
    assert app.answerer.calls[1] == ("and care leavers?", Filters(("Dorset",), follows="quotes"))
    assert second["thread_ts"] == "6.000001" and "Looking at: Dorset" in json.dumps(second["blocks"])
    app.post_event(message_event("what about Essex?", ts="6.000003", thread_ts="6.000001"))
    app.slack.wait_for("chat.postMessage", 3)
    assert app.answerer.calls[2] == ("what about Essex?", Filters(follows="quotes"))
    app.post_event(message_event("thanks!", ts="6.000004", thread_ts="6.000001"))
    app.slack.settle()
    assert len(app.answerer.calls) == 3  # thanks is not a question


def test_follow_up_after_a_restart_reads_the_filters_from_the_thread(tmp_path, engine):
    """A new process, with no memory of the thread, finds the earlier answer's filters in its Slack metadata."""
    with running_fake() as fake:
        with running_http(fake, make_settings(tmp_path), engine) as first:
            first.post_event(message_event(f"<@{BOT_USER}> care leavers in Dorset", ts="7.000001",
                                           kind="app_mention"))
            fake.wait_for("chat.postMessage")
        fake.seed("C0TEAM", {"type": "message", "user": "U0ASKER", "text": "x", "ts": "7.000001"})
        with running_http(fake, make_settings(tmp_path), RecordingEngine(engine.inner)) as second:
            second.post_event(message_event("and supervision?", ts="7.000002", thread_ts="7.000001"))
            reply = fake.wait_for("chat.postMessage", 2)[1]
            assert second.answerer.calls == [("and supervision?", Filters(("Dorset",), follows="quotes"))]
    [lookup] = fake.bodies("conversations.replies")
    assert lookup["channel"] == "C0TEAM" and lookup["ts"] == "7.000001"
    assert reply["thread_ts"] == "7.000001"


def test_thread_the_bot_has_not_answered_is_left_alone(app):
    """People talking in a thread the bot is not part of get no reply."""
    app.slack.seed("C0TEAM", {"type": "message", "user": "U0A", "text": "lunch?", "ts": "8.000001"})
    app.post_event(message_event("anyone seen the Dorset report?", ts="8.000002", thread_ts="8.000001"))
    app.slack.wait_for("conversations.replies")
    app.slack.settle()
    assert app.slack.bodies("chat.postMessage") == [] and app.answerer.calls == []


def test_failure_gets_a_reply_with_the_ref_that_is_in_the_log(app):
    """When answering fails the asker gets 'something went wrong (ref X)', and the log line has the same ref."""
    with capture_logs() as logs:
        app.post_event(message_event(f"<@{BOT_USER}> explode Dorset", ts="9.000001", kind="app_mention"))
        [post] = app.slack.wait_for("chat.postMessage")
        app.slack.settle(0.1)
    line = next(entry for entry in logs if entry["event"] == "slack.question")
    assert line["outcome"] == "error" and line["error"] == "RuntimeError"
    assert post["text"] == f"Sorry — something went wrong (ref {line['ref']}). Please try again."
    assert post["thread_ts"] == "9.000001"
    assert "explode" not in repr(logs)


def test_personal_data_gets_a_private_reminder_and_still_an_answer(app):
    """A question with an NHS number gets an ephemeral reminder to the sender only, and the answer as usual."""
    app.post_event(message_event(f"<@{BOT_USER}> Dorset, child NHS 943 476 5919", ts="10.000001", kind="app_mention"))
    [reminder] = app.slack.wait_for("chat.postEphemeral")
    app.slack.wait_for("chat.postMessage")
    assert reminder["user"] == "U0ASKER" and reminder["channel"] == "C0TEAM"
    assert "personal data about children or families" in reminder["text"]


def test_one_canonical_log_line_per_question_without_message_text(app, caplog):
    """Each question, answered or refused, logs exactly one slack.question line of hashes, counts and timings, and
    no text anywhere, although the refusal Slack is sent names the words the reports lack."""
    answered, refused = "supervision of social workers in Dorset", "Dorset zebra-phrase"
    caplog.set_level(logging.DEBUG)
    with capture_logs() as logs:
        app.post_event(message_event(f"<@{BOT_USER}> {answered}", ts="11.000001", kind="app_mention"))
        [post] = app.slack.wait_for("chat.postMessage")
        app.post_event(message_event(f"<@{BOT_USER}> {refused}", ts="11.000002", kind="app_mention"))
        refusal = app.slack.wait_for("chat.postMessage", 2)[1]
        app.slack.settle(0.1)
    lines = [entry for entry in logs if entry["event"] == "slack.question"]
    assert [line["outcome"] for line in lines] == ["answered", "refused"]
    line = lines[0]
    assert line["excerpts"] == len(quotes(post)) >= 1 and line["reports"] >= 1
    assert [entry["question_chars"] for entry in lines] == [len(answered), len(refused)]
    assert len(line["question_hash"]) == 12
    assert {"user_hash", "channel_hash", "latency_ms", "ref", "event_id"} <= set(line)
    assert "zebra" in refusal["text"]
    for text in ("social workers", "zebra", "U0ASKER"):
        assert text not in repr(logs) and text not in caplog.text


def test_app_home_shows_what_the_bot_knows(app):
    """Opening the App Home publishes a view with the report count, local authorities and date range."""
    app.post_event({"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DM", "tab": "home",
                    "event_ts": "12.1"})
    [publish] = app.slack.wait_for("views.publish")
    assert publish["user_id"] == "U0ASKER" and publish["view"]["type"] == "home"
    view = json.dumps(publish["view"], ensure_ascii=False)
    assert "I hold 5 reports on 4 local authorities, published 2018 to 9 May 2025 (1 of them news items" in view
    assert "Example questions" in view and "/findings" in view


def test_healthz_reports_whether_the_knowledge_base_is_reachable(tmp_path, served_engine):
    """/healthz is 200 with the report count while the Chroma server answers, 503 once it is stopped."""
    server, engine = served_engine
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as app:
        health = app.url.replace("/slack/events", "/healthz")
        with urllib.request.urlopen(health, timeout=5) as response:
            assert response.status == 200 and json.loads(response.read()) == {"ok": True, "reports": 5}
        server.stop()
        with pytest.raises(urllib.error.HTTPError) as failed:
            urllib.request.urlopen(health, timeout=10)
    assert failed.value.code == 503 and json.loads(failed.value.read())["ok"] is False


def test_bare_mention_gets_a_hint_not_silence(app):
    """A mention with no question gets a one-line hint in the thread, without asking the engine."""
    app.post_event(message_event(f"<@{BOT_USER}>  ", ts="13.000001", kind="app_mention"))
    [post] = app.slack.wait_for("chat.postMessage")
    assert post["text"].startswith("Ask me what Ofsted found") and post["thread_ts"] == "13.000001"
    assert app.answerer.calls == []


def test_bolt_warnings_never_carry_message_text(app, caplog):
    """An event the app does not handle makes Bolt warn, with the payload (and any text in it) withheld."""
    caplog.set_level(logging.DEBUG)
    app.post_event({"type": "pin_added", "user": "U0ASKER", "channel_id": "C0TEAM", "event_ts": "14.1",
                    "item": {"type": "message", "message": {"text": "zebra-secret about a child"}}})
    until(lambda: "Unhandled request" in caplog.text)
    assert "zebra-secret" not in caplog.text and "details withheld" in caplog.text
