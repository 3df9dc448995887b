"""Block action listeners: the 👍/👎 and 'Share in channel' buttons on answers, 'Download as Word' on summaries."""

import re
from collections.abc import Callable

from slack_bolt import Ack, App

from bot.slack.blocks import DOWNLOAD, SHARE, VOTE_DOWN, VOTE_UP
from bot.slack.buttons import on_download, on_share, on_vote
from bot.slack.delivery import retrying_respond
from bot.slack.service import Service


def register(app: App, service: Service) -> None:
    """Listen for the answer buttons; each acks at once and does its work on a worker, re-sending a response_url
    reply that Slack refused with 429 or 500/503."""

    @app.action(re.compile(f"^(?:{VOTE_UP}|{VOTE_DOWN})$"))
    def handle_vote(ack: Ack, body: dict, action: dict, respond: Callable) -> None:
        ack()
        on_vote(service, body, action, retrying_respond(respond))

    @app.action(SHARE)
    def handle_share(ack: Ack, body: dict, action: dict, respond: Callable) -> None:
        ack()
        on_share(service, body, action, retrying_respond(respond))

    @app.action(DOWNLOAD)
    def handle_download(ack: Ack, body: dict, action: dict, respond: Callable) -> None:
        ack()
        on_download(service, body, action, retrying_respond(respond))
