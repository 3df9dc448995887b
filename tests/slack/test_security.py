"""Security over real signed HTTP: signatures, the workspace and channel allow-lists, rate limit, secrets kept out."""

import json
import logging
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from slack_sdk import WebClient
from structlog.testing import capture_logs

from bot.errors import ConfigError
from bot.privacy import digest
from bot.slack.app import create_app
from bot.slack.server import HttpServer, build_server
from tests.clock import Clock
from tests.slack_fake import (
    APP_TOKEN,
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    TEAM,
    FakeSlack,
    Harness,
    action_form,
    action_payload,
    command_form,
    event_body,
    make_settings,
    message_event,
    post_signed,
    running_fake,
    running_http,
    running_socket,
    sign,
)
from tests.slack_kb import answered_about

OTHER_TEAM = "T0OTHER"
NOT_IN_CHANNEL = {"response_type": "ephemeral", "text": "Findings is not enabled in this channel."}


def _raw_post(url: str, body: str, headers: dict) -> int:
    """POST with exactly these Slack headers, so that one can be left out; returns the status."""
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _signed(body: str, timestamp: int | str, secret: str = SIGNING_SECRET) -> dict:
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": sign(body, timestamp, secret)}


# Each forgery turns (body, now) into the (body, headers) actually sent.
FORGERIES = {
    "missing signature": lambda body, now: (body, {"X-Slack-Request-Timestamp": str(now)}),
    "missing timestamp": lambda body, now: (body, {"X-Slack-Signature": sign(body, now)}),
    "invalid signature": lambda body, now: (body, _signed(body, now, "not-the-signing-secret")),
    "body changed after signing": lambda body, now: (body.replace("Dorset", "Essex"), _signed(body, now)),
    "timestamp over 5 minutes old": lambda body, now: (body, _signed(body, now - 301)),
    "timestamp over 5 minutes ahead": lambda body, now: (body, _signed(body, now + 301)),
    "timestamp not a number": lambda body, now: (body, {"X-Slack-Request-Timestamp": "soon",
                                                        "X-Slack-Signature": sign(body, now)}),
}


def _from_team(team: str, event: dict, event_id: str) -> str:
    """An Events API body as another workspace's installation would send it."""
    body = event_body(event, event_id)
    body["team_id"] = team
    body["authorizations"][0]["team_id"] = team
    return json.dumps(body)


@contextmanager
def running_limited(fake: FakeSlack, tmp_path, limit: int, clock: Clock, answerer) -> Iterator[Harness]:
    """The real HTTP server, built with create_app as build_server does, but with the rate limit on `clock`."""
    settings = make_settings(tmp_path, slack_rate_limit=limit)
    server = HttpServer(create_app(settings, answerer, fake.client(), clock=clock), answerer, "127.0.0.1", 0)
    server.start()
    try:
        yield Harness(fake, answerer, settings, server, url=f"http://127.0.0.1:{server.port}/slack/events")
    finally:
        server.stop()


@pytest.fixture
def app(tmp_path, engine):
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        yield harness


@pytest.fixture
def gated(tmp_path, engine):
    """An app enabled only in the test workspace, in C0TEAM and the listened C0ASK, and not in DMs."""
    settings = make_settings(tmp_path, slack_allowed_teams=TEAM, slack_allowed_channels="C0TEAM, C0ASK")
    with running_fake() as fake, running_http(fake, settings, engine) as harness:
        yield harness


def _gate_lines(logs: list[dict]) -> list[dict]:
    return [entry for entry in logs if entry["event"] == "slack.gate"]


# -- signatures --


@pytest.mark.parametrize("forge", list(FORGERIES.values()), ids=list(FORGERIES))
def test_unsigned_or_forged_request_gets_401_and_nothing_is_posted(app, forge):
    """A request without a valid signature over its exact body and a fresh timestamp is refused with 401 and never
    answered, while the same question genuinely signed is."""
    event = message_event(f"<@{BOT_USER}> supervision in Dorset", ts="1.000001", kind="app_mention")
    sent, headers = forge(json.dumps(event_body(event, "EvFORGED")), int(time.time()))
    assert _raw_post(app.url, sent, headers) == 401
    genuine = message_event(f"<@{BOT_USER}> supervision in Dorset", ts="1.000002", kind="app_mention")
    assert post_signed(app.url, json.dumps(event_body(genuine, "EvGENUINE")), "application/json")[0] == 200
    app.slack.wait_for("chat.postMessage")
    app.slack.settle()
    assert [p["thread_ts"] for p in app.slack.bodies("chat.postMessage")] == ["1.000002"]
    assert app.answerer.calls == [("supervision in Dorset", None)]
    assert app.slack.bodies("chat.postEphemeral") == [] and app.slack.bodies("response_url") == []


def test_forged_command_and_button_get_401_and_nothing_happens(app):
    """/findings and a button click signed with the wrong secret are refused with 401: no answer, no vote."""
    now = int(time.time())
    command = command_form("How is Dorset doing?", app.slack.response_url("cmd"))
    click = action_form(action_payload("findings_vote_up", "abc123", app.slack.response_url("v")))
    for body in (command, click):
        status, _ = post_signed(app.url, body, "application/x-www-form-urlencoded",
                                signature=sign(body, now, "not-the-signing-secret"))
        assert status == 401
    app.slack.settle()
    assert app.slack.calls == [c for c in app.slack.calls if c.method == "auth.test"] and app.answerer.calls == []
    with sqlite3.connect(app.settings.feedback_path) as db:
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone() == (0,)


# -- who may use it --


def test_event_from_another_workspace_is_acked_and_ignored(gated):
    """A mention from a workspace not in SLACK_ALLOWED_TEAMS gets 200 (so Slack does not retry) and no reply; the
    refusal is logged with hashes only."""
    text = f"<@{BOT_USER}> supervision in Dorset"
    foreign = _from_team(OTHER_TEAM, message_event(text, ts="2.000001", kind="app_mention"), "EvT1")
    with capture_logs() as logs:
        status, _ = post_signed(gated.url, foreign, "application/json")
        gated.slack.settle()
    assert status == 200
    assert gated.slack.bodies("chat.postMessage") == [] and gated.answerer.calls == []
    [line] = _gate_lines(logs)
    assert line["outcome"] == "not_allowed" and line["refused"] == "workspace" and line["kind"] == "app_mention"
    assert line["team_hash"] == digest(OTHER_TEAM) and line["channel_hash"] == digest("C0TEAM")
    assert OTHER_TEAM not in repr(logs) and "C0TEAM" not in repr(logs) and "Dorset" not in repr(logs)
    gated.post_event(message_event(text, ts="2.000002", kind="app_mention"))  # the same from the allowed workspace
    [post] = gated.slack.wait_for("chat.postMessage")
    assert post["thread_ts"] == "2.000002"


def test_events_in_channels_not_allowed_are_acked_and_ignored(gated):
    """A mention in another channel, and a message in a listened channel left off SLACK_ALLOWED_CHANNELS, get 200
    and no reply; a listened channel that is allowed is answered."""
    assert gated.post_event(message_event(f"<@{BOT_USER}> Dorset?", ts="3.000001", channel="C0ELSE",
                                          kind="app_mention"))[0] == 200
    assert gated.post_event(message_event("front door in Essex?", ts="3.000002", channel="C0ASK2"))[0] == 200
    assert gated.post_event(message_event("front door in Essex?", ts="3.000003", channel="C0ASK"))[0] == 200
    [post] = gated.slack.wait_for("chat.postMessage")
    gated.slack.settle()
    assert len(gated.slack.bodies("chat.postMessage")) == 1
    assert (post["channel"], post["thread_ts"]) == ("C0ASK", "3.000003")
    assert gated.answerer.calls == [("front door in Essex?", None)]


def test_slack_connect_guest_from_another_workspace_is_ignored(gated):
    """In an allowed channel shared with another organisation, a mention by someone from that organisation is
    acked and not answered."""
    event = message_event(f"<@{BOT_USER}> Dorset?", ts="4.000001", kind="app_mention", user="U0GUEST",
                          user_team="T0GUEST", team="T0GUEST")
    body = event_body(event, "EvSHARED")
    body["is_ext_shared_channel"] = True
    with capture_logs() as logs:
        assert post_signed(gated.url, json.dumps(body), "application/json")[0] == 200
        gated.slack.settle()
    assert gated.slack.bodies("chat.postMessage") == [] and gated.answerer.calls == []
    assert _gate_lines(logs)[0]["refused"] == "workspace"


def test_direct_messages_need_dm_in_the_channel_list(tmp_path, engine):
    """Once SLACK_ALLOWED_CHANNELS is set, DMs and the App Home are refused unless it lists `dm`."""
    dm = message_event("How is Dorset doing?", ts="5.000001", channel="D0DM", channel_type="im")
    home = {"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DM", "tab": "home", "event_ts": "5.1"}
    with running_fake() as fake:
        with running_http(fake, make_settings(tmp_path, slack_allowed_channels="C0TEAM"), engine) as closed:
            assert closed.post_event(dm)[0] == 200 and closed.post_event(home)[0] == 200
            fake.settle()
            assert fake.bodies("chat.postMessage") == [] and fake.bodies("views.publish") == []
        with running_http(fake, make_settings(tmp_path, slack_allowed_channels="C0TEAM,dm"), engine) as open_:
            open_.post_event(dm)
            open_.post_event(home)
            [post] = fake.wait_for("chat.postMessage")
            fake.wait_for("views.publish")
    assert (post["channel"], post["thread_ts"]) == ("D0DM", "5.000001")


def test_command_from_elsewhere_gets_one_ephemeral_line(gated):
    """/findings from another channel, another workspace or a DM is told, privately and at once, that Findings is not
    enabled there; nothing is answered. From the allowed channel it is answered."""
    elsewhere = gated.post_command("How is Dorset doing?", gated.slack.response_url("c1"), channel="C0ELSE")
    dm = gated.post_command("How is Dorset doing?", gated.slack.response_url("c2"), channel="D0DM")
    foreign = command_form("How is Dorset doing?", gated.slack.response_url("c3")).replace(TEAM, OTHER_TEAM)
    with capture_logs() as logs:
        other_team = post_signed(gated.url, foreign, "application/x-www-form-urlencoded")
    told = {"response_type": "ephemeral", "text": "Findings is not enabled in {}."}
    assert elsewhere == (200, json.dumps(NOT_IN_CHANNEL))
    assert dm == (200, json.dumps(told | {"text": told["text"].format("direct messages")}))
    assert other_team == (200, json.dumps(told | {"text": told["text"].format("this workspace")}))
    assert _gate_lines(logs)[0]["kind"] == "command"
    gated.slack.settle()
    assert gated.slack.bodies("response_url") == [] and gated.answerer.calls == []
    assert gated.post_command("How is Dorset doing?", gated.slack.response_url("ok")) == (200, "")
    [answer] = gated.slack.wait_for("response_url")
    assert answer["_url"] == "/response/ok" and answered_about(answer, "Dorset")


def test_button_from_elsewhere_is_refused_the_same_way(gated):
    """A 👍 or Share click from a channel or workspace Findings is not enabled in gets one private line and does
    nothing else; the same click in an allowed channel is recorded."""
    vote = action_payload("findings_vote_up", "abc123", gated.slack.response_url("v1"), channel="C0ELSE")
    share = action_payload("findings_share", "abc123", gated.slack.response_url("s1"))
    share["team"] = {"id": OTHER_TEAM}
    assert gated.post_action(vote)[0] == 200 and gated.post_action(share)[0] == 200
    replies = {r["_url"]: r for r in gated.slack.wait_for("response_url", 2)}
    gated.slack.settle()
    assert len(gated.slack.bodies("response_url")) == 2
    assert {k: replies["/response/v1"][k] for k in ("response_type", "text")} == NOT_IN_CHANNEL
    assert replies["/response/v1"]["replace_original"] is False
    assert replies["/response/s1"]["text"] == "Findings is not enabled in this workspace."
    assert gated.slack.bodies("chat.postMessage") == [] and gated.slack.bodies("chat.postEphemeral") == []
    with sqlite3.connect(gated.settings.feedback_path) as db:
        assert db.execute("SELECT COUNT(*) FROM votes").fetchone() == (0,)
    gated.post_action(action_payload("findings_vote_up", "abc123", gated.slack.response_url("v2")))
    thanks = gated.slack.wait_for("response_url", 3)[-1]
    assert thanks["_url"] == "/response/v2" and "recorded your :+1:" in thanks["text"]


def test_refused_command_over_socket_mode_is_told_in_the_ack(tmp_path, engine):
    """In Socket Mode the refusal of /findings from another channel travels in the envelope's ack payload."""
    settings = make_settings(tmp_path, slack_app_token=APP_TOKEN, slack_signing_secret=None,
                             slack_allowed_channels="C0TEAM")
    fields = dict(urllib.parse.parse_qsl(command_form("Dorset?", "http://127.0.0.1:9/none", channel="C0ELSE")))
    with running_fake() as fake, running_socket(fake, settings, engine) as app:
        app.socket.send({"envelope_id": "env-g", "type": "slash_commands", "payload": fields,
                         "accepts_response_payload": True})
        assert app.socket.acks("env-g") == [{"envelope_id": "env-g", "payload": NOT_IN_CHANNEL}]
        fake.settle()
        assert app.answerer.calls == []


# -- how fast --

ASKED = "what do inspectors say about supervision of social workers"  # a question the five reports answer


def test_rate_limit_answers_the_first_n_then_asks_to_wait_and_recovers(tmp_path, engine):
    """With a limit of 3 a minute, a fourth question within the minute gets a private 'ask again in 30 seconds' and
    no answer, another person is unaffected, and once the first question leaves the window the asker is answered."""
    clock = Clock(1000.0)
    with running_fake() as fake, running_limited(fake, tmp_path, 3, clock, engine) as app, capture_logs() as logs:
        for i in range(3):
            app.post_event(message_event(f"<@{BOT_USER}> {ASKED} in Dorset? ({i})", ts=f"6.00000{i}",
                                         kind="app_mention"))
            fake.wait_for("chat.postMessage", i + 1)
            clock.now += 10
        app.post_event(message_event(f"<@{BOT_USER}> {ASKED} in Dorset? (3)", ts="6.000003", kind="app_mention"))
        [slow] = fake.wait_for("chat.postEphemeral")
        app.post_event(message_event(f"<@{BOT_USER}> {ASKED} in Essex?", ts="6.000004", kind="app_mention",
                                     user="U0OTHER"))
        fake.wait_for("chat.postMessage", 4)
        clock.now = 1000.0 + 60
        app.post_event(message_event(f"<@{BOT_USER}> {ASKED} in Dorset? (5)", ts="6.000005", kind="app_mention"))
        posts = fake.wait_for("chat.postMessage", 5)
        fake.settle()
    assert (slow["channel"], slow["user"]) == ("C0TEAM", "U0ASKER") and "thread_ts" not in slow
    assert "Please ask again in 30 seconds" in slow["text"]
    assert [p["thread_ts"] for p in posts] == ["6.000000", "6.000001", "6.000002", "6.000004", "6.000005"]
    assert len(fake.bodies("chat.postEphemeral")) == 1 and len(app.answerer.calls) == 5
    lines = [entry for entry in logs if entry["event"] == "slack.question"]
    assert sorted(line["outcome"] for line in lines) == ["answered"] * 5 + ["rate_limited"]
    [limited] = [line for line in lines if line["outcome"] == "rate_limited"]
    assert limited["user_hash"] == digest("U0ASKER") and limited["retry_after_s"] == 30.0
    assert ASKED not in repr(logs) and "U0ASKER" not in repr(logs)


def test_mentions_threads_dms_and_findings_share_one_allowance(tmp_path, engine):
    """A mention, a follow-up in its thread and a DM use up a limit of 3; then /findings (a question or a summary)
    is told through its response_url, a thread follow-up in the thread and a DM in the DM, each privately."""
    clock = Clock(1000.0)
    with running_fake() as fake, running_limited(fake, tmp_path, 3, clock, engine) as app:
        app.post_event(message_event(f"<@{BOT_USER}> How is Dorset doing?", ts="7.000001", kind="app_mention"))
        fake.wait_for("chat.postMessage", 1)
        app.post_event(message_event("and care leavers?", ts="7.000002", thread_ts="7.000001"))
        fake.wait_for("chat.postMessage", 2)
        app.post_event(message_event("How is Essex doing?", ts="7.000003", channel="D0DM", channel_type="im"))
        fake.wait_for("chat.postMessage", 3)
        app.post_command("How is Dorset doing?", fake.response_url("ask"))
        app.post_command("summary Dorset", fake.response_url("summary"))
        told = {r["_url"]: r for r in fake.wait_for("response_url", 2)}
        app.post_event(message_event("and supervision?", ts="7.000005", thread_ts="7.000001"))
        app.post_event(message_event("How is Reading doing?", ts="7.000006", channel="D0DM", channel_type="im"))
        whispers = fake.wait_for("chat.postEphemeral", 2)
        fake.settle()
    for name in ("/response/ask", "/response/summary"):
        assert told[name]["response_type"] == "ephemeral" and "Please ask again in a minute" in told[name]["text"]
    where = sorted((w["channel"], w.get("thread_ts", ""), w["user"]) for w in whispers)
    assert where == [("C0TEAM", "7.000001", "U0ASKER"), ("D0DM", "", "U0ASKER")]
    assert all("Please ask again" in w["text"] for w in whispers)
    assert len(fake.bodies("chat.postMessage")) == 3 and len(app.answerer.calls) == 3


def test_retries_and_twin_deliveries_of_a_question_count_once(tmp_path, engine):
    """Slack's retry of an event, and the message/app_mention pair for one mention, use one question of the
    allowance, not two."""
    clock = Clock(1000.0)
    with running_fake() as fake, running_limited(fake, tmp_path, 2, clock, engine) as app:
        mention = message_event(f"<@{BOT_USER}> Dorset?", ts="8.000001", kind="app_mention")
        app.post_event(mention, "EvONCE")
        fake.wait_for("chat.postMessage", 1)
        assert app.post_event(mention, "EvONCE", headers={"X-Slack-Retry-Num": "1"})[0] == 200
        twin = f"<@{BOT_USER}> care leavers in Dorset"
        app.post_event(message_event(twin, ts="8.000002", channel="C0ASK"))
        app.post_event(message_event(twin, ts="8.000002", channel="C0ASK", kind="app_mention"))
        fake.wait_for("chat.postMessage", 2)
        fake.settle()
        assert fake.bodies("chat.postEphemeral") == []
        app.post_event(message_event(f"<@{BOT_USER}> Essex?", ts="8.000003", kind="app_mention"))
        [slow] = fake.wait_for("chat.postEphemeral")
        fake.settle()
    assert "Please ask again" in slow["text"] and len(fake.bodies("chat.postMessage")) == 2
    assert len(app.answerer.calls) == 2


# -- secrets --


def _everything_at_debug(caplog) -> None:
    """Every stdlib logger that exists now at DEBUG; Bolt copies WARNING into the loggers it makes at start-up."""
    caplog.set_level(logging.DEBUG)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            caplog.set_level(logging.DEBUG, logger=name)


def test_secrets_never_reach_the_logs(tmp_path, caplog, engine):
    """Serving over HTTP and Socket Mode, refusing a forged request, and failing auth.test with a wrong token log
    nothing, at any level, that holds the bot token, the signing secret or the app token."""
    wrong = "xoxb-wrong-token-zebra"
    _everything_at_debug(caplog)
    for name in ("uvicorn", "uvicorn.error", "slack_bolt", "slack_sdk", "urllib3", "httpx", "websockets"):
        caplog.set_level(logging.DEBUG, logger=name)
    with capture_logs() as logs, running_fake() as fake:
        with running_http(fake, make_settings(tmp_path), engine) as app:
            _everything_at_debug(caplog)
            app.post_event(message_event(f"<@{BOT_USER}> Dorset?", ts="9.000001", kind="app_mention"))
            app.post_command("help", fake.response_url("help"))
            body = json.dumps(event_body(message_event("Dorset?", ts="9.000002"), "EvSECRET"))
            assert _raw_post(app.url, body, _signed(body, int(time.time()), "not-the-signing-secret")) == 401
            fake.wait_for("chat.postMessage")
            fake.wait_for("response_url")
        settings = make_settings(tmp_path, slack_app_token=APP_TOKEN, slack_signing_secret=None)
        with running_socket(fake, settings, engine) as socket_app:
            _everything_at_debug(caplog)
            socket_app.socket.send({"envelope_id": "env-s", "type": "events_api", "accepts_response_payload": False,
                                    "payload": event_body(message_event(f"<@{BOT_USER}> Essex?", ts="9.000003",
                                                                        kind="app_mention"), "EvSOCK")})
            fake.wait_for("chat.postMessage", 2)
        fake.errors[("auth.test", "*")] = "invalid_auth"
        with pytest.raises(ConfigError) as failed:
            build_server(make_settings(tmp_path, slack_bot_token=wrong), engine,
                         WebClient(base_url=fake.api_url, token=wrong))
    tokens = {(c.method, c.token) for c in fake.calls}
    assert {("auth.test", BOT_TOKEN), ("auth.test", wrong), ("apps.connections.open", APP_TOKEN)} <= tokens
    assert any(r.name.startswith("slack_sdk") and r.levelno == logging.DEBUG for r in caplog.records)
    assert any(r.name.startswith("slack_bolt") for r in caplog.records)
    everything = caplog.text + repr(logs) + str(failed.value)
    everything += "".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''}" for r in caplog.records)
    for value in (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, wrong):
        assert value not in everything
