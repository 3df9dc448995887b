"""Delivery under faults: retry what Slack refused, as Slack advises, and never post one message twice."""

import http.client
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.error import URLError
from urllib.parse import urlsplit

import structlog
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.webhook import WebhookClient, WebhookResponse

from bot.privacy import digest

log = structlog.get_logger()

# Slack: after a 429, wait the Retry-After seconds, then call again (api.slack.com/apis/rate-limits).
RATE_LIMIT_RETRIES = 3
# A 500 or 503 means Slack did not carry the call out: retry it as it is, backing off. (A 502 or 504 from a proxy
# may hide a call that went through, so those are not retried.)
SERVER_ERROR_RETRIES = 2
SERVER_ERRORS = frozenset({500, 503})
# No connection was made, so nothing reached Slack: retry as it is.
CONNECTION_RETRIES = 2
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.5)  # 0.5 s, 1 s, 2 s, each plus up to 1 s of jitter
# Failures after the request was sent: Slack may have carried it out, and only the response was lost.
LOST_RESPONSE = (TimeoutError, ConnectionError, http.client.HTTPException)
# Methods that post a message: repeating one blindly after a lost response could post it twice.
POSTING = frozenset({"chat.postMessage", "chat.postEphemeral"})
# After a lost response, post again at most this often, and only once Slack shows the message is not there.
REPOSTS = 1
# Give Slack a moment to finish a slow post before looking for it.
SETTLE_SECONDS = 1.0
# Where to look: the newest top-level messages of a channel, or a thread's replies, oldest first, page by page.
HISTORY_LIMIT = 50
REPLIES_LIMIT = 200
REPLIES_PAGES = 5
POST_ID = "post_id"
REPLY_EVENT = "findings_reply"  # metadata of a reply that is not an answer; thread.from_metadata ignores it


class Unconfirmed(Exception):
    """A message may or may not have reached Slack: its response was lost and Slack could not say which."""


def method_of(url: str) -> str:
    """The Web API method a request URL calls, e.g. chat.postMessage."""
    return urlsplit(url).path.rsplit("/", 1)[-1]


class LostResponseRetryHandler(RetryHandler):
    """Retries a call whose response was lost (read timeout, reset, disconnect), unless the call posts a message."""

    def _can_retry(self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
                   error: Exception | None = None) -> bool:
        return response is None and isinstance(error, LOST_RESPONSE) and method_of(request.url) not in POSTING


def retry_handlers() -> list[RetryHandler]:
    """The Web API client's retries: 429 after Retry-After, 500/503 and no connection with backoff, lost reads."""
    # slack_sdk's ConnectionErrorRetryHandler also retries resets after sending, and none of its handlers covers a
    # read timeout (a bare TimeoutError from getresponse): URLError alone means nothing was sent, the rest is
    # LostResponseRetryHandler's, which leaves posts to post_message.
    return [
        RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=BACKOFF),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES, interval_calculator=BACKOFF,
                                    error_types=[URLError]),
        LostResponseRetryHandler(max_retry_count=CONNECTION_RETRIES, interval_calculator=BACKOFF),
    ]


def tag(metadata: dict | None, post_id: str) -> dict:
    """Message metadata carrying a unique post id, so that the message can be found if its response is lost."""
    if not metadata:
        return {"event_type": REPLY_EVENT, "event_payload": {POST_ID: post_id}}
    return {**metadata, "event_payload": {**(metadata.get("event_payload") or {}), POST_ID: post_id}}


def post_message(client: WebClient, channel: str, *, thread_ts: str = "", metadata: dict | None = None,
                 **message: Any) -> str:
    """chat.postMessage at most once: after a lost response, look for the message before posting it again."""
    post_id = secrets.token_urlsafe(12)
    options: dict = {"thread_ts": thread_ts} if thread_ts else {}
    fields = {"method": "chat.postMessage", "channel_hash": digest(channel)}
    for attempt in range(1, REPOSTS + 2):
        try:
            response = client.chat_postMessage(channel=channel, metadata=tag(metadata, post_id), **options, **message)
            return str(response.get("ts", ""))
        except SlackApiError as err:
            status = err.response.status_code
            if status == 429 or status >= 500:  # the client's retries are spent; other refusals are the caller's
                log.error("slack.delivery", outcome="refused", status=status, error=type(err).__name__,
                          attempt=attempt, **fields)
            raise
        except LOST_RESPONSE as err:
            lost = err
            log.warning("slack.delivery", outcome="response_lost", error=type(err).__name__, attempt=attempt, **fields)
        time.sleep(SETTLE_SECONDS)
        try:
            ts = find_posted(client, channel, thread_ts, post_id)
        except Exception as err:  # cannot tell whether it landed, so posting anything more could double it
            log.error("slack.delivery", outcome="unconfirmed", error=type(err).__name__, attempt=attempt, **fields)
            raise Unconfirmed("chat.postMessage") from lost
        if ts:
            log.info("slack.delivery", outcome="already_posted", attempt=attempt, **fields)
            return ts
    log.error("slack.delivery", outcome="gave_up", error=type(lost).__name__, attempt=REPOSTS + 1, **fields)
    raise lost


def find_posted(client: WebClient, channel: str, thread_ts: str, post_id: str) -> str:
    """The ts of the message whose metadata carries post_id, or '' when Slack does not have it."""
    for message in _recent(client, channel, thread_ts):
        payload = (message.get("metadata") or {}).get("event_payload")
        if isinstance(payload, dict) and payload.get(POST_ID) == post_id:
            return str(message.get("ts", ""))
    return ""


def _recent(client: WebClient, channel: str, thread_ts: str) -> Iterator[dict]:
    if not thread_ts:
        # Newest first: a message posted seconds ago is among the channel's latest.
        response = client.conversations_history(channel=channel, limit=HISTORY_LIMIT, include_all_metadata=True)
        yield from response.get("messages") or []
        return
    cursor = None
    for _ in range(REPLIES_PAGES):
        response = client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True,
                                                limit=REPLIES_LIMIT, cursor=cursor)
        yield from response.get("messages") or []
        cursor = (response.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return


def webhook_retry_handlers() -> list[RetryHandler]:
    """A response_url's retries: 429 after Retry-After, 500/503 with backoff, and a connection never made."""
    # Not LostResponseRetryHandler: an ephemeral reply cannot be looked up, so after a lost response it stays lost.
    return [
        RateLimitErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=BACKOFF),
        ConnectionErrorRetryHandler(max_retry_count=CONNECTION_RETRIES, interval_calculator=BACKOFF,
                                    error_types=[URLError]),
    ]


def retrying_respond(respond: Any) -> Callable:
    """Bolt's respond, sent by slack_sdk's WebhookClient with retries for a response_url that posted nothing."""
    client = WebhookClient(url=respond.response_url, retry_handlers=webhook_retry_handlers())

    def send(text: str = "", blocks: list | None = None, **options: Any) -> WebhookResponse:
        message = {"text": text, **({"blocks": blocks} if blocks else {}),
                   **{key: value for key, value in options.items() if value is not None}}
        try:
            response = client.send_dict(message)
        except LOST_RESPONSE as err:
            # An ephemeral reply cannot be looked up: it may be showing, so sending anything more could double it.
            log.error("slack.delivery", method="response_url", outcome="unconfirmed", error=type(err).__name__)
            raise Unconfirmed("response_url") from err
        if response.status_code == 429 or response.status_code in SERVER_ERRORS:  # the retries are spent
            log.error("slack.delivery", method="response_url", outcome="refused", status=response.status_code)
        return response

    return send
