"""Global middleware: a request from a workspace or channel the bot is not enabled in is acked and refused."""

from collections.abc import Callable

import structlog
from slack_bolt import BoltContext, BoltResponse

from bot.privacy import digest
from bot.slack.blocks import notice
from bot.slack.gate import CHANNEL, Gate, Origin, is_direct, refusal
from bot.slack.service import Service
from bot.slack.slash import respond_with
from bot.slack.wording import not_enabled

log = structlog.get_logger()


def origin_of(context: BoltContext) -> Origin:
    """The workspace, organisation and channel Bolt read from the request."""
    return Origin(context.team_id, context.enterprise_id, context.actor_team_id, context.actor_enterprise_id,
                  context.channel_id)


def _kind(body: dict) -> str:
    if "command" in body:
        return "command"
    return str((body.get("event") or {}).get("type") or body.get("type") or "unknown")


def guard(gate: Gate, service: Service) -> Callable[..., BoltResponse | None]:
    """A middleware that lets allowed requests through to the listeners and answers the rest itself."""

    def allowed_only(body: dict, context: BoltContext, next_: Callable[[], None]) -> BoltResponse | None:
        refused = refusal(gate, origin_of(context))
        if not refused:
            next_()
            return None
        channel = context.channel_id or ""
        place = "dm" if refused == CHANNEL and is_direct(channel) else refused
        kind = _kind(body)
        log.info("slack.gate", outcome="not_allowed", refused=place, kind=kind, team_hash=digest(context.team_id or ""),
                 channel_hash=digest(channel), user_hash=digest(context.user_id or ""))
        if kind == "command":
            # Slack shows a slash command's immediate response to the person who ran it, and only to them.
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": not_enabled(place)})
        if context.respond is not None and body.get("type") == "block_actions":
            # A button's HTTP response is not shown, so the refusal goes to its response_url, off the ack path.
            service.submit(respond_with, context.respond, notice(not_enabled(place)))
        # Events get a bare 200: Slack must not retry them, and nobody is told anything.
        return BoltResponse(status=200, body="")

    return allowed_only
