"""The Bolt app factory, with a Web API client from settings and Bolt's logging kept free of message text."""

import logging
import re
import time
from collections.abc import Callable

from pydantic import SecretStr
from slack_bolt import App
from slack_sdk import WebClient

from bot.ofsted.ledger import Ledger
from bot.settings import Settings
from bot.slack import listeners
from bot.slack.delivery import retry_handlers
from bot.slack.gate import allows_direct_messages, gate_from
from bot.slack.listeners.guard import guard
from bot.slack.service import Engine, Service
from bot.state import State
from bot.state.feedback import FeedbackStore
from bot.state.memory import MemoryState

_PAYLOAD_START = re.compile(r"[({:]")


def secret(value: SecretStr | None) -> str:
    """A secret setting's value, or '' when unset."""
    return value.get_secret_value() if value else ""


def web_client(settings: Settings) -> WebClient:
    """A Web API client for SLACK_API_URL with the bot token, retrying as Slack advises (bot.slack.delivery)."""
    base_url = settings.slack_api_url if settings.slack_api_url.endswith("/") else settings.slack_api_url + "/"
    return WebClient(base_url=base_url, token=secret(settings.slack_bot_token) or None,
                     timeout=max(1, round(settings.slack_timeout)), retry_handlers=retry_handlers())


class RedactPayloads(logging.Filter):
    """Keep Bolt's own wording but drop what it appends: request bodies and errors, which can hold message text."""

    def filter(self, record: logging.LogRecord) -> bool:
        words = _PAYLOAD_START.split(record.getMessage(), maxsplit=1)[0].strip()
        if record.exc_info and record.exc_info[0]:
            words += f" [{record.exc_info[0].__name__}]"
        record.msg, record.args, record.exc_info, record.exc_text = f"{words} (details withheld)", (), None, None
        return True


def bolt_logger() -> logging.Logger:
    """The logger handed to Bolt (and so to its Socket Mode client): warnings and up, redacted."""
    logger = logging.getLogger("findings.slack.bolt")
    logger.setLevel(logging.WARNING)
    if not any(isinstance(f, RedactPayloads) for f in logger.filters):
        logger.addFilter(RedactPayloads())
    return logger


def create_app(settings: Settings, answerer: Engine, client: WebClient | None = None, *, state: State | None = None,
               clock: Callable[[], float] = time.monotonic) -> App:  # clock: what times the in-memory rate limit
    """Build the Bolt app, its gate and its listeners; Bolt calls auth.test on the client here, once.

    `state` is what replicas share (bot.state); without one, this process's memory holds it.
    """
    client = client or web_client(settings)
    state = state or MemoryState(settings.slack_rate_limit, clock=clock)
    gate = gate_from(settings)
    service = Service(answerer, client, FeedbackStore(settings.feedback_path), state,
                      listen_channels=settings.listen_channels, workers=settings.answer_workers,
                      direct_messages=allows_direct_messages(gate),
                      freshness=lambda: Ledger.load(settings.knowledge_dir).summary())
    app = App(
        client=client,
        signing_secret=secret(settings.slack_signing_secret),
        logger=bolt_logger(),
        name="findings",
        # Ack first, work after: Bolt runs listeners on its executor and answers Slack at once.
        process_before_response=False,
    )
    # Global middleware runs before every listener, so no request from elsewhere reaches one.
    app.use(guard(gate, service))
    listeners.register(app, service)
    return app
