"""The Slack app: everything that imports slack_bolt or slack_sdk lives in this package."""

from bot.slack.app import create_app
from bot.slack.server import build_server, serve

__all__ = ["build_server", "create_app", "serve"]
