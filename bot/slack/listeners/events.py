"""Events API listeners: mentions, messages (DMs, threads, listened channels) and the App Home tab."""

from slack_bolt import App, BoltContext, BoltRequest

from bot.slack.conversation import on_message
from bot.slack.message import incoming
from bot.slack.service import Bot, Service


def bot_of(context: BoltContext) -> Bot:
    """The bot's user and bot ids, which Bolt learnt from auth.test."""
    return Bot(context.bot_user_id or "", context.bot_id or "")


def retry_number(request: BoltRequest) -> int:
    """Slack's retry count: the X-Slack-Retry-Num header, which Bolt also sets from a Socket Mode retry_attempt."""
    value = (request.headers.get("x-slack-retry-num") or ["0"])[0]
    return int(value) if str(value).isdigit() else 0


def register(app: App, service: Service) -> None:
    """Listen for mentions, messages and App Home opens; each acks at once and answers on a worker."""

    @app.event("app_mention")
    def handle_mention(body: dict, context: BoltContext, request: BoltRequest) -> None:
        on_message(service, incoming(body, retry_number(request)), bot_of(context))

    # Every message event, whatever its subtype, comes here, so Bolt never logs one as unhandled.
    @app.event("message")
    def handle_message(body: dict, context: BoltContext, request: BoltRequest) -> None:
        on_message(service, incoming(body, retry_number(request)), bot_of(context))

    @app.event("app_home_opened")
    def handle_home(event: dict) -> None:
        if event.get("tab", "home") == "home" and event.get("user"):
            service.submit(service.publish_home, str(event["user"]))
