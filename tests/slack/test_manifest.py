"""Tests that the Slack app manifest matches what the code listens for and calls."""

import yaml

import bot.slack
from bot.slack.listeners.commands import COMMAND
from tests.conftest import REPO

MANIFEST = yaml.safe_load((REPO / "deploy" / "slack-manifest.yaml").read_text(encoding="utf-8"))


def test_manifest_subscribes_to_every_event_the_app_handles():
    """Mentions, messages in every kind of conversation and App Home opens are all subscribed."""
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert events == {"app_home_opened", "app_mention", "message.channels", "message.groups", "message.im",
                      "message.mpim"}


def test_manifest_grants_the_scopes_the_app_uses():
    """Each Web API call and event the app relies on has its scope, and nothing more is asked for."""
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    assert scopes == {"app_mentions:read", "channels:history", "groups:history", "im:history", "mpim:history",
                      "chat:write", "chat:write.public", "commands", "files:write", "im:write"}


def test_manifest_declares_the_command_home_tab_interactivity_and_socket_mode():
    """/findings, the Home tab, the DM tab, the buttons and Socket Mode are all switched on."""
    features = MANIFEST["features"]
    assert [c["command"] for c in features["slash_commands"]] == [COMMAND]
    assert features["app_home"]["home_tab_enabled"] and features["app_home"]["messages_tab_enabled"]
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] and MANIFEST["settings"]["socket_mode_enabled"]


def test_public_surface_is_what_all_says():
    """bot.slack exports exactly create_app, build_server and serve, and each exists."""
    assert sorted(bot.slack.__all__) == ["build_server", "create_app", "serve"]
    assert all(callable(getattr(bot.slack, name)) for name in bot.slack.__all__)
