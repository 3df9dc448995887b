"""Bolt listeners, grouped by kind as in bolt-python's starter template; each module has `register`."""

from slack_bolt import App

from bot.slack.limits import RateLimit
from bot.slack.listeners import actions, commands, events
from bot.slack.service import Service


def register(app: App, service: Service, limits: RateLimit | None = None) -> None:
    """Attach every listener to the app; questions count against `limits` when given."""
    events.register(app, service, limits)
    commands.register(app, service, limits)
    actions.register(app, service)
