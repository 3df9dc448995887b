"""End to end over Socket Mode: a local WebSocket server hands out envelopes; acks and replies are checked."""

import sqlite3
import urllib.parse

import pytest

from tests.slack_fake import (
    APP_TOKEN,
    BOT_USER,
    action_payload,
    command_form,
    event_body,
    make_settings,
    message_event,
    running_fake,
    running_socket,
)
from tests.slack_kb import answered_about


@pytest.fixture
def app(tmp_path, engine):
    settings = make_settings(tmp_path, slack_app_token=APP_TOKEN, slack_signing_secret=None)
    with running_fake() as fake, running_socket(fake, settings, engine) as harness:
        yield harness


def test_connects_with_the_app_token(app):
    """The app asks apps.connections.open for a socket URL with the app-level token, after auth.test."""
    methods = [c.method for c in app.slack.calls]
    assert methods.index("auth.test") < methods.index("apps.connections.open")
    opened = next(c for c in app.slack.calls if c.method == "apps.connections.open")
    assert opened.token == APP_TOKEN


def test_event_envelope_is_acked_and_answered_once_even_when_retried(app):
    """An app_mention envelope is acked by id and answered in a thread; Slack's retry of it is acked, not answered."""
    event = event_body(message_event(f"<@{BOT_USER}> How is Dorset doing?", ts="30.000001", kind="app_mention"),
                       "EvSOCKET1")
    app.socket.send({"envelope_id": "env-1", "type": "events_api", "payload": event,
                     "accepts_response_payload": False, "retry_attempt": 0, "retry_reason": ""})
    assert app.socket.acks("env-1") == [{"envelope_id": "env-1"}]
    [post] = app.slack.wait_for("chat.postMessage")
    assert post["thread_ts"] == "30.000001" and answered_about(post, "Dorset")
    app.socket.send({"envelope_id": "env-2", "type": "events_api", "payload": event,
                     "accepts_response_payload": False, "retry_attempt": 1, "retry_reason": "timeout"})
    assert app.socket.acks("env-2") == [{"envelope_id": "env-2"}]
    app.slack.settle()
    assert len(app.slack.bodies("chat.postMessage")) == 1 and len(app.answerer.calls) == 1


def test_slash_command_envelope_is_acked_then_answered_ephemerally(app):
    """A /findings envelope is acked with an empty payload, then answered through its response_url."""
    fields = dict(urllib.parse.parse_qsl(command_form("care leavers in Dorset", app.slack.response_url("sock"))))
    app.socket.send({"envelope_id": "env-3", "type": "slash_commands", "payload": fields,
                     "accepts_response_payload": True})
    assert app.socket.acks("env-3") == [{"envelope_id": "env-3"}]
    [reply] = app.slack.wait_for("response_url")
    assert reply["response_type"] == "ephemeral" and answered_about(reply, "Dorset")


def test_button_envelope_is_acked_and_the_vote_recorded(app):
    """A 👍 click arriving as an interactive envelope is acked and stored."""
    payload = action_payload("findings_vote_up", "abc123", app.slack.response_url("v"))
    app.socket.send({"envelope_id": "env-4", "type": "interactive", "payload": payload,
                     "accepts_response_payload": False})
    assert app.socket.acks("env-4") == [{"envelope_id": "env-4"}]
    app.slack.wait_for("response_url")
    with sqlite3.connect(app.settings.feedback_path) as db:
        assert db.execute("SELECT answer_id, vote FROM votes").fetchall() == [("abc123", "up")]
