"""Slash command listeners: /findings."""

from collections.abc import Callable

from slack_bolt import Ack, App

from bot.slack.service import Service
from bot.slack.slash import on_command

COMMAND = "/findings"


def register(app: App, service: Service) -> None:
    """Listen for /findings: ack at once, so Slack's 3 s limit is never at risk, then work on a worker."""

    @app.command(COMMAND)
    def handle_findings(ack: Ack, command: dict, respond: Callable) -> None:
        ack()
        on_command(service, command, respond)
