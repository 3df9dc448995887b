"""End to end over HTTP: /findings, its subcommands, 'Share in channel' and the 👍/👎 buttons."""

import json
import sqlite3
import threading
import time

import pytest

from bot.privacy import digest
from tests.slack_fake import (
    BOT_USER,
    action_payload,
    make_settings,
    message_event,
    running_fake,
    running_http,
)
from tests.slack_kb import answered_about


@pytest.fixture
def app(tmp_path, engine):
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        yield harness


def _button(body: dict, action_id: str) -> dict:
    buttons = [e for b in body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    return next(e for e in buttons if e["action_id"] == action_id)


def _sent_to(app, name: str, count: int) -> dict:
    """The reply posted to one response_url, once `count` response_url posts have arrived."""
    return next(b for b in app.slack.wait_for("response_url", count) if b["_url"] == f"/response/{name}")


def _ask(app, question: str = "How is Dorset doing?") -> dict:
    """Run /findings with a question and return the ephemeral answer posted to its response_url."""
    assert app.post_command(question, app.slack.response_url("cmd"))[0] == 200
    return app.slack.wait_for("response_url")[-1]


def test_command_acks_at_once_and_answers_ephemerally_after(app):
    """/findings gets its HTTP 200 before the answer is computed, then an ephemeral answer with a Share button."""
    app.answerer.gate = threading.Event()
    started = time.monotonic()
    status, text = app.post_command("How is Dorset doing?", app.slack.response_url("cmd"))
    assert status == 200 and text == "" and time.monotonic() - started < 1.0
    assert app.slack.bodies("response_url") == []
    app.answerer.gate.set()
    [reply] = app.slack.wait_for("response_url")
    assert reply["response_type"] == "ephemeral" and reply["replace_original"] is False
    assert reply["_url"] == "/response/cmd"
    assert answered_about(reply, "Dorset")
    assert _button(reply, "findings_share")["text"]["text"] == "Share in channel"
    assert app.slack.bodies("chat.postMessage") == []  # nothing public until shared


def test_refusal_has_votes_but_nothing_to_share(app):
    """An honest 'I couldn't find anything' still gets 👍/👎, but no Share button."""
    reply = _ask(app, "unicorn sightings in Dorset")
    assert reply["blocks"][0]["text"]["text"].startswith("I couldn't find anything in the reports")
    actions = [e["action_id"] for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert actions == ["findings_vote_up", "findings_vote_down"]


def test_share_posts_the_answer_in_the_channel_and_removes_the_ephemeral(app):
    """'Share in channel' reposts the same answer publicly with who shared it, then deletes the ephemeral copy."""
    reply = _ask(app)
    answer_id = _button(reply, "findings_share")["value"]
    assert app.post_action(action_payload("findings_share", answer_id, app.slack.response_url("share"),
                                          user="U0ASKER"))[0] == 200
    [public] = app.slack.wait_for("chat.postMessage")
    delete = _sent_to(app, "share", 2)
    assert public["channel"] == "C0TEAM" and "thread_ts" not in public
    assert public["blocks"][0]["elements"][0]["text"] == "<@U0ASKER> shared an answer to “How is Dorset doing?”"
    assert public["blocks"][3]["text"]["text"] == reply["blocks"][2]["text"]["text"]
    assert [e["action_id"] for e in public["blocks"][-1]["elements"]] == ["findings_vote_up", "findings_vote_down"]
    assert public["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]
    assert delete["delete_original"] is True


def test_share_after_a_restart_says_the_answer_expired(app):
    """A Share click for an answer the process no longer holds gets a friendly 'ask again', not silence."""
    app.post_action(action_payload("findings_share", "gone123", app.slack.response_url("share")))
    [reply] = app.slack.wait_for("response_url")
    assert "expired" in reply["text"] and reply["response_type"] == "ephemeral"
    assert app.slack.bodies("chat.postMessage") == []


def test_share_where_the_bot_may_not_post_explains_how_to_fix_it(app):
    """If Slack refuses the public post (not_in_channel), the sharer is told to invite the bot."""
    answer_id = _button(_ask(app), "findings_share")["value"]
    app.slack.errors[("chat.postMessage", "C0TEAM")] = "not_in_channel"
    app.post_action(action_payload("findings_share", answer_id, app.slack.response_url("share")))
    reply = _sent_to(app, "share", 2)
    assert "/invite @Findings" in reply["text"]


def test_personal_data_question_is_answered_but_never_reposted(app):
    """A /findings question with an NI number gets the reminder and the answer; sharing leaves the question out."""
    reply_url = app.slack.response_url("cmd")
    app.post_command("Dorset: supervision and AB 12 34 56 C?", reply_url)
    reminder, answer = app.slack.wait_for("response_url", 2)
    assert "personal data" in reminder["text"] and reminder["response_type"] == "ephemeral"
    app.post_action(action_payload("findings_share", _button(answer, "findings_share")["value"], reply_url))
    [public] = app.slack.wait_for("chat.postMessage")
    assert "AB 12" not in json.dumps(public) and "shared an answer from /findings" in json.dumps(public)


def test_vote_is_stored_and_confirmed_to_the_voter_alone_in_the_thread(app):
    """👍 on a threaded answer stores question hash, excerpt ids, user hash, vote and time; only the voter is told."""
    app.post_event(message_event(f"<@{BOT_USER}> How is Dorset doing?", ts="20.000001", kind="app_mention"))
    [post] = app.slack.wait_for("chat.postMessage")
    answer_id = _button(post, "findings_vote_up")["value"]
    message = {"type": "message", "ts": "1700000001.000100", "thread_ts": "20.000001", "bot_id": "BBOT"}
    app.post_action(action_payload("findings_vote_up", answer_id, app.slack.response_url("v"), message=message))
    [thanks] = app.slack.wait_for("chat.postEphemeral")
    assert thanks["user"] == "U0VOTER" and thanks["thread_ts"] == "20.000001" and ":+1:" in thanks["text"]
    with sqlite3.connect(app.settings.feedback_path) as db:
        [row] = db.execute("SELECT a.question_hash, a.excerpts, v.user_hash, v.vote, v.voted_at FROM votes v "
                           "JOIN answers a ON a.id = v.answer_id").fetchall()
    assert row[0] == digest("How is Dorset doing?") and row[2] == digest("U0VOTER") and row[3] == "up"
    [answer] = app.answerer.answers
    assert json.loads(row[1]) == [{"chunk_id": e.chunk_id, "report": e.report.id, "start": e.start, "end": e.end}
                                  for e in answer.excerpts] != []
    assert row[4].startswith("20")
    app.post_action(action_payload("findings_vote_down", answer_id, app.slack.response_url("v"), message=message))
    changed = app.slack.wait_for("chat.postEphemeral", 2)[1]
    assert "changed your vote" in changed["text"]
    with sqlite3.connect(app.settings.feedback_path) as db:
        assert db.execute("SELECT vote FROM votes").fetchall() == [("down",)]


def test_vote_on_an_ephemeral_answer_is_confirmed_ephemerally(app):
    """👎 under a /findings answer is confirmed through the response_url, privately."""
    answer_id = _button(_ask(app), "findings_vote_down")["value"]
    app.post_action(action_payload("findings_vote_down", answer_id, app.slack.response_url("v")))
    reply = _sent_to(app, "v", 2)
    assert reply["response_type"] == "ephemeral" and ":-1:" in reply["text"]
    assert app.slack.bodies("chat.postEphemeral") == []


def test_help_and_sources_subcommands(app):
    """`/findings help` explains how to ask; `/findings sources` lists coverage and every local authority."""
    app.post_command("help", app.slack.response_url("help"))
    app.post_command("sources", app.slack.response_url("sources"))
    replies = {b["_url"]: b for b in app.slack.wait_for("response_url", 2)}
    help_text = json.dumps(replies["/response/help"]["blocks"], ensure_ascii=False)
    assert "How to ask" in help_text and "/findings sources" in help_text
    sources = json.dumps(replies["/response/sources"]["blocks"], ensure_ascii=False)
    assert "I hold 5 reports on 4 local authorities" in sources
    assert "Dorset (2), Essex (1), Reading (1), Rutland (1)" in sources
    assert app.answerer.calls == []


def test_command_failure_replies_with_a_ref(app):
    """A failing /findings question gets an ephemeral 'something went wrong (ref …)'."""
    app.post_command("explode", app.slack.response_url("cmd"))
    [reply] = app.slack.wait_for("response_url")
    assert reply["text"].startswith("Sorry — something went wrong (ref ") and reply["response_type"] == "ephemeral"
