"""One question, one path: how often a question is parsed, and how many of the bot's modules it passes through."""

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.query import parse_query
from tests.cli.support import cli_env
from tests.module_trace import traced
from tests.slack_fake import BOT_USER, make_settings, message_event, running_fake, running_http

# Measured on this path before issue 22: a mention passed through 48 modules (27 stations) with 10 returns; after
# it, 50 modules (26 stations: the question, the features registry and charts are modules of their own) with 4.
MAX_MODULES = 50
MAX_RETURNS = 4


@pytest.fixture
def app(tmp_path, engine):
    # Models and caches are warmed on the engine itself: the app's worker threads start inside the trace.
    engine.ask("How is Essex doing?")
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        yield harness


def test_a_mention_is_parsed_once_and_keeps_to_one_path(app):
    """An @mention's question is parsed once on its way to the reply, reads its snapshot directly (no attribute
    forwarding), and passes through fewer modules than before."""
    with traced(parse_query, Knowledge.__getattr__) as trace:
        app.post_event(message_event(f"<@{BOT_USER}> supervision in Dorset", ts="2.000001", kind="app_mention"))
        app.slack.wait_for("chat.postMessage")
        app.slack.settle()
    print(f"mention: {len(trace.modules)} modules, {len(trace.stations)} stations, {len(trace.returns)} returns:",
          sorted(trace.returns))
    assert trace.counts.get("parse_query") == 1
    assert trace.counts.get("Knowledge.__getattr__", 0) == 0
    assert len(trace.modules) <= MAX_MODULES and len(trace.returns) <= MAX_RETURNS


def test_a_follow_up_in_a_direct_message_is_parsed_once(app):
    """A question and its follow-up in a DM thread are parsed once each: carrying the thread's council reads the
    same parse. (Both are traced, because the profile hook reaches only threads started inside the trace.)"""
    with traced(parse_query) as trace:
        app.post_event(message_event("How is Dorset doing?", ts="3.000001", channel="D0DM", channel_type="im"))
        app.slack.wait_for("chat.postMessage")
        app.post_event(message_event("and care leavers?", ts="3.000002", channel="D0DM", channel_type="im",
                                     thread_ts="3.000001"))
        [_, follow_up] = app.slack.wait_for("chat.postMessage", 2)
        app.slack.settle()
    assert trace.counts.get("parse_query") == 2
    assert follow_up["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]


def test_the_command_line_parses_a_question_once(settings, small_knowledge):
    """`findings ask` parses its question once."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge)], env=cli_env(settings))
    with traced(parse_query) as trace:
        result = runner.invoke(main, ["ask", "care leavers in Essex"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    assert trace.counts.get("parse_query") == 1
