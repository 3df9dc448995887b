"""Block action listeners: the 👍/👎 and 'Share in channel' buttons on answers, 'Download as Word' on summaries."""

import re
from collections.abc import Callable

from slack_bolt import Ack, App

from bot.slack.blocks import DOWNLOAD, SHARE, SUMMARY, VOTE_DOWN, VOTE_UP
from bot.slack.buttons import on_download, on_share, on_vote
from bot.slack.delivery import retrying_respond
from bot.slack.service import Service
from bot.slack.slash import run_command


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

    @app.action(SUMMARY)
    def handle_summary(ack: Ack, body: dict, action: dict, respond: Callable) -> None:
        ack()  # an announcement's Summary button: the council's briefing, privately, as /findings summary gives it
        command = {"user_id": (body.get("user") or {}).get("id", ""),
                   "channel_id": (body.get("channel") or {}).get("id", "")}
        service.submit(run_command, service, "summary", str(action.get("value") or ""), command,
                       retrying_respond(respond))

    @app.action(DOWNLOAD)
    def handle_download(ack: Ack, body: dict, action: dict, respond: Callable) -> None:
        ack()
        on_download(service, body, action, retrying_respond(respond))
