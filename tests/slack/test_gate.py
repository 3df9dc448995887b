"""Tests for the allow-lists: which workspaces and channels a request may come from."""

import pytest

from bot.slack.gate import CHANNEL, WORKSPACE, Gate, Origin, allows_direct_messages, gate_from, refusal
from tests.slack_fake import make_settings

TEAMS = frozenset({"T0HOME", "E0ORG"})


@pytest.mark.parametrize(("origin", "expected"), [
    (Origin("T0HOME", channel="C0ANY"), ""),
    (Origin("T0AWAY", channel="C0ANY"), WORKSPACE),
    (Origin(None, channel="C0ANY"), WORKSPACE),  # no workspace at all is not a listed one
    (Origin("T0INORG", enterprise="E0ORG"), ""),  # an organisation id covers its workspaces
    (Origin("T0HOME", actor_team="T0HOME"), ""),
    (Origin("T0HOME", actor_team="T0GUEST"), WORKSPACE),  # a Slack Connect guest from elsewhere
    (Origin("T0HOME", actor_team="T0INORG", actor_enterprise="E0ORG"), ""),
])
def test_workspace_must_be_listed_when_the_list_is_set(origin, expected):
    """With SLACK_ALLOWED_TEAMS set, the installation's workspace and the asker's own must each be listed."""
    assert refusal(Gate(teams=TEAMS), origin) == expected


@pytest.mark.parametrize(("channels", "channel", "expected"), [
    (frozenset({"C0ONE"}), "C0ONE", ""),
    (frozenset({"C0ONE"}), "C0TWO", CHANNEL),
    (frozenset({"C0ONE"}), "D0DM", CHANNEL),
    (frozenset({"C0ONE", "dm"}), "D0DM", ""),
    (frozenset({"C0ONE", "dm"}), "G0GROUP", CHANNEL),  # `dm` is direct messages only, not group chats
    (frozenset({"D0ONLY"}), "D0ONLY", ""),
    (frozenset({"C0ONE"}), None, ""),  # an event about no channel is judged by workspace alone
])
def test_channel_must_be_listed_when_the_list_is_set(channels, channel, expected):
    """With SLACK_ALLOWED_CHANNELS set, a channel must be listed; a DM needs `dm` or its own id."""
    assert refusal(Gate(channels=channels), Origin("T0HOME", channel=channel)) == expected


def test_empty_lists_allow_anything():
    """With neither list set, any workspace and any channel is served."""
    assert refusal(Gate(), Origin("T0ANY", actor_team="T0GUEST", channel="D0DM")) == ""


def test_gate_comes_from_the_settings(tmp_path):
    """The gate holds the ids from SLACK_ALLOWED_TEAMS and SLACK_ALLOWED_CHANNELS, with `DM` read as `dm`."""
    settings = make_settings(tmp_path, slack_allowed_teams="T0HOME, E0ORG", slack_allowed_channels="C0ONE,DM")
    assert gate_from(settings) == Gate(TEAMS, frozenset({"C0ONE", "dm"}))


def test_direct_messages_are_allowed_unless_a_channel_list_leaves_them_out():
    """No channel list allows DMs; a list allows them only when it names `dm`."""
    assert allows_direct_messages(Gate())
    assert allows_direct_messages(Gate(channels=frozenset({"C0TEAM", "dm"})))
    assert not allows_direct_messages(Gate(channels=frozenset({"C0TEAM"})))
