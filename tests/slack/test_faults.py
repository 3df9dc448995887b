"""Slack Web API faults over real HTTP: 429, 500 and timeouts are retried as Slack advises, never posted twice."""

import json
import logging

import pytest
from structlog.contextvars import merge_contextvars
from structlog.testing import capture_logs

from bot.answer import Filters
from bot.slack.app import web_client
from bot.slack.thread import to_metadata
from tests.slack_fake import (
    BOT_ID,
    BOT_USER,
    action_payload,
    make_settings,
    message_event,
    running_fake,
    running_http,
    until,
)

TIMEOUT = 1  # SLACK_TIMEOUT for these tests, in seconds
SLOW = TIMEOUT + 0.5  # how long a slow response is held: past the client's timeout, and no longer


@pytest.fixture
def app(tmp_path, engine):
    """The app on the Web API client `findings serve` builds from settings, with a 1 s timeout, against the fake."""
    with running_fake() as fake:
        settings = make_settings(tmp_path, slack_api_url=fake.api_url, slack_timeout=TIMEOUT)
        with running_http(fake, settings, engine, client=web_client(settings)) as harness:
            yield harness


def _mention(app, text: str, ts: str) -> None:
    assert app.post_event(message_event(f"<@{BOT_USER}> {text}", ts=ts, kind="app_mention"))[0] == 200


def _calls(app, method: str, count: int, timeout: float = 10.0) -> list:
    """Every call to `method` once `count` have arrived, with when each arrived and what fault it met."""
    app.slack.wait_for(method, count, timeout)
    return [c for c in app.slack.calls if c.method == method]


def _logged(logs: list, event: str = "slack.question") -> dict:
    until(lambda: any(entry["event"] == event for entry in logs), timeout=20)
    return next(entry for entry in logs if entry["event"] == event)


def _deliveries(logs: list) -> list[dict]:
    return [entry for entry in logs if entry["event"] == "slack.delivery"]


def test_rate_limited_reply_waits_retry_after_and_is_posted_once(app):
    """A 429 on chat.postMessage is sent again unchanged, no sooner than Retry-After, and the thread gets one reply."""
    app.slack.fail_next("chat.postMessage", status=429, retry_after=1)
    _mention(app, "How is Dorset doing?", "1.000001")
    refused, sent = _calls(app, "chat.postMessage", 2)
    app.slack.settle()
    assert [c.fault for c in app.slack.calls if c.method == "chat.postMessage"] == ["429", ""]
    assert sent.at - refused.at >= 1.0
    assert sent.body == refused.body
    [reply] = app.slack.thread_replies("C0TEAM", "1.000001")
    assert reply["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]


def test_server_errors_are_retried_with_backoff_and_the_reply_posted_once(app):
    """Two 500s on chat.postMessage are retried unchanged after growing pauses; the thread gets exactly one reply."""
    app.slack.fail_next("chat.postMessage", status=500, times=2)
    _mention(app, "How is Dorset doing?", "2.000001")
    first, second, third = _calls(app, "chat.postMessage", 3)
    app.slack.settle()
    assert [c.fault for c in app.slack.calls if c.method == "chat.postMessage"] == ["500", "500", ""]
    assert second.at - first.at >= 0.5 and third.at - second.at >= 1.0
    assert first.body == second.body == third.body
    assert len(app.slack.thread_replies("C0TEAM", "2.000001")) == 1


def test_timed_out_post_that_landed_is_found_and_not_posted_again(app):
    """When chat.postMessage times out after Slack posted, the app finds its message in the thread and posts no more."""
    app.slack.fail_next("chat.postMessage", delay=SLOW)
    with capture_logs(processors=[merge_contextvars]) as logs:
        _mention(app, "How is Dorset doing?", "3.000001")
        line = _logged(logs)
    app.slack.settle()
    [post] = app.slack.bodies("chat.postMessage")
    [lookup] = app.slack.bodies("conversations.replies")
    assert lookup["channel"] == "C0TEAM" and lookup["ts"] == "3.000001"
    [reply] = app.slack.thread_replies("C0TEAM", "3.000001")
    assert reply["metadata"] == post["metadata"] and reply["metadata"]["event_payload"]["post_id"]
    assert line["outcome"] == "answered"
    assert [(d["outcome"], d["ref"]) for d in _deliveries(logs)] == [
        ("response_lost", line["ref"]), ("already_posted", line["ref"])]


def test_timed_out_post_that_never_landed_is_posted_once_more(app):
    """When chat.postMessage times out and Slack shows no such message, it is posted once more, and only once."""
    app.slack.fail_next("chat.postMessage", delay=SLOW, apply=False)
    _mention(app, "How is Dorset doing?", "4.000001")
    lost, sent = _calls(app, "chat.postMessage", 2)
    app.slack.settle()
    [lookup] = [c for c in app.slack.calls if c.method == "conversations.replies"]
    assert [c.fault for c in app.slack.calls if c.method == "chat.postMessage"] == ["lost", ""]
    assert lost.at < lookup.at < sent.at and lost.body == sent.body
    assert len(app.slack.thread_replies("C0TEAM", "4.000001")) == 1


def test_post_that_cannot_be_confirmed_gets_no_failure_notice(app):
    """If a post timed out and Slack cannot say whether it landed, nothing more is posted and the log line says so."""
    app.slack.fail_next("chat.postMessage", delay=SLOW)
    app.slack.errors[("conversations.replies", "*")] = "internal_error"
    with capture_logs(processors=[merge_contextvars]) as logs:
        _mention(app, "How is Dorset doing?", "5.000001")
        line = _logged(logs)
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 1
    assert len(app.slack.thread_replies("C0TEAM", "5.000001")) == 1  # the answer, which did land
    assert line["outcome"] == "error" and line["error"] == "Unconfirmed" and line["delivery"] == "unconfirmed"
    assert [d["outcome"] for d in _deliveries(logs)] == ["response_lost", "unconfirmed"]


def test_persistent_server_errors_post_nothing_and_log_the_ref(app, caplog):
    """500 on every post: bounded retries of answer and notice, nothing posted, one error line with the ref."""
    caplog.set_level(logging.DEBUG)
    app.slack.fail_next("chat.postMessage", status=500, times=20)
    with capture_logs(processors=[merge_contextvars]) as logs:
        _mention(app, "Dorset zebra-phrase", "6.000001")
        line = _logged(logs)
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 6  # the answer and the failure notice, three tries each
    assert app.slack.thread_replies("C0TEAM", "6.000001") == []
    assert line["outcome"] == "error" and line["error"] == "SlackApiError" and line["reply_error"] == "SlackApiError"
    assert len(line["ref"]) == 6
    assert [(d["outcome"], d["status"], d["ref"]) for d in _deliveries(logs)] == [("refused", 500, line["ref"])] * 2
    assert "zebra" not in repr(logs) and "zebra" not in caplog.text


def test_read_that_times_out_is_retried(app):
    """A conversations.replies that times out is retried by the client, so a follow-up still keeps its thread's LA."""
    app.slack.seed("C0TEAM", {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": "answer",
                              "ts": "7.000002", "thread_ts": "7.000001",
                              "metadata": to_metadata(Filters(("Dorset",)), "seeded")})
    app.slack.fail_next("conversations.replies", delay=SLOW)
    app.post_event(message_event("and care leavers?", ts="7.000003", thread_ts="7.000001"))
    app.slack.wait_for("chat.postMessage")
    assert [c.fault for c in app.slack.calls if c.method == "conversations.replies"] == ["slow", ""]
    assert app.answerer.calls == [("and care leavers?", Filters(("Dorset",)))]


def test_shared_answer_that_timed_out_is_found_in_the_channel(app):
    """'Share in channel' whose post times out after landing is found in the channel's history, not posted twice."""
    assert app.post_command("How is Dorset doing?", app.slack.response_url("cmd"))[0] == 200
    [answer] = app.slack.wait_for("response_url")
    share = next(e for b in answer["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == "findings_share")
    app.slack.fail_next("chat.postMessage", delay=SLOW)
    app.post_action(action_payload("findings_share", share["value"], app.slack.response_url("share"), user="U0ASKER"))
    until(lambda: any(b.get("delete_original") for b in app.slack.bodies("response_url")), timeout=10)
    app.slack.settle()
    [lookup] = app.slack.bodies("conversations.history")
    assert lookup["channel"] == "C0TEAM"
    assert len(app.slack.bodies("chat.postMessage")) == 1 and len(app.slack.messages["C0TEAM"]) == 1


def test_command_answer_is_sent_again_when_the_response_url_answers_500(app):
    """/findings: a 500 from the response_url means nothing was shown, so the same answer is sent again, shown once."""
    app.slack.fail_next("response_url", status=500)
    assert app.post_command("How is Dorset doing?", app.slack.response_url("cmd"))[0] == 200
    refused, sent = _calls(app, "response_url", 2)
    app.slack.settle()
    assert [c.fault for c in app.slack.calls if c.method == "response_url"] == ["500", ""]
    assert sent.body == refused.body and sent.at - refused.at >= 0.5
    [shown] = app.slack.delivered("response_url")
    assert "Dorset" in json.dumps(shown.body["blocks"])


def test_command_answer_waits_retry_after_when_the_response_url_answers_429(app):
    """/findings: a 429 from the response_url is honoured, the answer sent again no sooner than Retry-After."""
    app.slack.fail_next("response_url", status=429, retry_after=1)
    assert app.post_command("How is Dorset doing?", app.slack.response_url("cmd"))[0] == 200
    refused, sent = _calls(app, "response_url", 2)
    app.slack.settle()
    assert sent.at - refused.at >= 1.0 and len(app.slack.delivered("response_url")) == 1


def test_command_whose_response_url_keeps_failing_is_logged_with_its_ref(app, caplog):
    """/findings whose response_url always answers 500: bounded retries, nothing shown, the error logged with a ref."""
    caplog.set_level(logging.DEBUG)
    app.slack.fail_next("response_url", status=500, times=20)
    with capture_logs(processors=[merge_contextvars]) as logs:
        assert app.post_command("Dorset zebra-phrase", app.slack.response_url("cmd"))[0] == 200
        line = _logged(logs)
    app.slack.settle()
    assert len(app.slack.bodies("response_url")) == 6 and app.slack.delivered("response_url") == []
    assert line["outcome"] == "error" and line["error"] == "RuntimeError" and line["reply_error"] == "RuntimeError"
    refused = [d for d in _deliveries(logs) if d["outcome"] == "refused"]
    assert [(d["status"], d["ref"]) for d in refused] == [(500, line["ref"])] * 2
    assert "zebra" not in repr(logs) and "zebra" not in caplog.text


def test_button_reply_is_sent_again_when_the_response_url_answers_500(app):
    """A Share click whose private reply meets a 500 from the response_url gets that reply sent again, shown once."""
    app.slack.fail_next("response_url", status=500)
    app.post_action(action_payload("findings_share", "gone123", app.slack.response_url("share")))
    refused, sent = _calls(app, "response_url", 2)
    app.slack.settle()
    assert sent.body == refused.body and "expired" in sent.body["text"]
    assert len(app.slack.delivered("response_url")) == 1
