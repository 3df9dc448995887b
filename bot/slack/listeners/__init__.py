"""Bolt listeners, grouped by kind as in bolt-python's starter template; each module has `register`."""

from slack_bolt import App

from bot.slack.listeners import actions, commands, events
from bot.slack.service import Service


def register(app: App, service: Service) -> None:
    """Attach every listener to the app."""
    events.register(app, service)
    commands.register(app, service)
    actions.register(app, service)
