"""The Slack app: mentions, DMs, /findings, buttons and the App Home, over HTTP or Socket Mode.

Everything that imports slack_bolt or slack_sdk lives in this package, and nothing outside it touches Slack. It
may import the shared top level and every stage below it (`bot.routing` answers, `bot.leaders` summaries,
`bot.state` shared state); only the command line imports it.
"""

from bot.slack.app import create_app
from bot.slack.server import build_server, serve

__all__ = ["build_server", "create_app", "serve"]
