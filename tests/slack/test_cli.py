"""Tests for `findings serve` start-up: missing settings fail in one clear line."""

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.errors import ConfigError
from bot.slack.server import SocketServer, build_server, require_settings
from tests.slack_fake import APP_TOKEN, BOT_TOKEN, make_settings, running_fake


def _serve(**env) -> object:
    return CliRunner().invoke(main, ["serve"], env={"LOG_FORMAT": "json", **env})


def test_serve_without_a_bot_token_names_the_setting():
    """`findings serve` with no SLACK_BOT_TOKEN exits 2 with one line naming it, before loading anything."""
    result = _serve()
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "SLACK_BOT_TOKEN is not set" in result.stderr and "Traceback" not in result.stderr


def test_http_mode_without_a_signing_secret_names_the_setting():
    """Without SLACK_APP_TOKEN, HTTP mode needs SLACK_SIGNING_SECRET, and says so in one line."""
    result = _serve(SLACK_BOT_TOKEN=BOT_TOKEN)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "SLACK_SIGNING_SECRET" in result.stderr


def test_socket_mode_needs_no_signing_secret(tmp_path, engine):
    """With an app token and no signing secret, the settings pass and the server is built for Socket Mode."""
    settings = make_settings(tmp_path, slack_app_token=APP_TOKEN, slack_signing_secret=None)
    assert settings.slack_signing_secret is None and require_settings(settings) is None
    with running_fake() as fake:
        server = build_server(settings, engine, fake.client())
        assert isinstance(server, SocketServer)
        server.handler.client.close()


def test_rejected_token_and_unreachable_slack_are_one_line_errors(tmp_path, engine):
    """auth.test failing, or no Slack at the URL, becomes a ConfigError rather than a traceback."""
    with running_fake() as fake:
        fake.errors[("auth.test", "*")] = "invalid_auth"
        with pytest.raises(ConfigError, match="rejected SLACK_BOT_TOKEN"):
            build_server(make_settings(tmp_path), engine, fake.client())
        dead = fake.api_url
    with pytest.raises(ConfigError, match="cannot reach Slack"):
        build_server(make_settings(tmp_path, slack_api_url=dead), engine)


def test_app_token_selects_socket_mode(tmp_path, engine):
    """SLACK_APP_TOKEN set means Socket Mode; otherwise HTTP."""
    with running_fake() as fake:
        server = build_server(make_settings(tmp_path, slack_app_token=APP_TOKEN), engine, fake.client())
        assert isinstance(server, SocketServer)
        server.handler.client.close()
