"""What the Slack listeners share: the answer engine, the Web API client, the feedback store, caches and workers."""

import secrets
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import structlog
from slack_sdk import WebClient

from bot.answer import Answer, Excerpt, Filters
from bot.privacy import digest
from bot.report import Report
from bot.retrieval.question import Question
from bot.retrieval.snapshot import Snapshot
from bot.slack.blocks import Reply
from bot.slack.delivery import post_message
from bot.slack.guide import home_view
from bot.slack.thread import answer_event, from_replies
from bot.state import BUSY, CLAIMED, MINE, TAKEN, State
from bot.state.feedback import FeedbackStore, answer_record

log = structlog.get_logger()

# A retry of an event another replica is answering is checked this often, for this long, in case it dies.
WATCH_EVERY = 0.5
WATCH_FOR = 60.0
_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, so a ref read out over the phone survives


class KnowledgeView(Protocol):
    """What the Slack app reads of the knowledge (bot.retrieval.knowledge.Knowledge): never the store itself."""

    reports: dict[str, Report]

    def reachable(self) -> bool: ...

    def snapshot(self) -> Snapshot: ...


class Engine(Protocol):
    """What the Slack app needs of the answer engine (bot.routing.router.Router behind the memo)."""

    knowledge: KnowledgeView

    def question(self, text: str, given: Filters | None = None, *, thread: Filters | None = None,
                 snapshot: Snapshot | None = None, classify: bool = True) -> Question: ...

    def answer(self, question: Question) -> Answer: ...

    def passages(self, question: Question, **options) -> list[Excerpt]: ...


@dataclass(frozen=True)
class Bot:
    """The bot's own ids, from auth.test: to strip its mention and to recognise its messages."""

    user_id: str
    bot_id: str


def new_ref() -> str:
    """A short reference id for a failure, shown to the user and logged."""
    return "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


def new_answer_id() -> str:
    """A short random id for an answer, carried by its buttons."""
    return secrets.token_urlsafe(9)


def failed_at(err: BaseException) -> str:
    """Where an exception was raised, as file:line, without its message (which may quote user text)."""
    frames = traceback.extract_tb(err.__traceback__)
    return f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""


class Service:
    """Shared state for the listeners; heavy work runs on its own workers so that Bolt's threads only ack."""

    def __init__(self, answerer: Engine, client: WebClient, feedback: FeedbackStore, state: State, *,
                 listen_channels: frozenset[str], workers: int = 4, direct_messages: bool = True,
                 freshness: Callable[[], str] = lambda: "") -> None:
        self.answerer = answerer
        self.client = client
        self.feedback = feedback
        self.state = state  # claims, threads, answers kept for sharing and the rate limit, maybe shared
        self.listen_channels = listen_channels
        self.direct_messages = direct_messages  # False when SLACK_ALLOWED_CHANNELS leaves out dm: no DMs opened
        self.freshness = freshness  # when the last sync from Ofsted's site ran and what it found, in words
        # Questions are answered in parallel: each reads one immutable knowledge snapshot, so no lock is needed.
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="findings-slack")
        # Charts are made one at a time on their own worker (drawn in bot.slack.drawing's process), so answers never
        # queue behind a picture.
        self.pictures = ThreadPoolExecutor(max_workers=1, thread_name_prefix="findings-pictures")

    def watch(self, keys: tuple, then: Callable[[], None], *, every: float = WATCH_EVERY,
              until: float = WATCH_FOR) -> None:
        """Re-claim an event another replica holds until it is done, or its replica dies and `then` runs."""
        deadline = time.monotonic() + until

        def later() -> None:
            timer = threading.Timer(every, check)
            timer.daemon = True
            timer.start()

        def check() -> None:
            claimed = self.state.claim(keys)
            if claimed in (CLAIMED, TAKEN):  # its replica died (or Redis went away): answer it here
                then()
            elif claimed in (BUSY, MINE) and time.monotonic() < deadline:
                later()

        later()

    def submit(self, work: Callable[..., None], *args) -> Future:
        """Run work on a worker thread; anything it fails to handle is logged by type, never by message."""
        future = self.pool.submit(work, *args)
        future.add_done_callback(_log_escaped)
        return future

    def later(self, work: Callable[..., None], *args) -> Future:
        """Run extra work (a chart) on the pictures worker, after the reply it belongs to."""
        future = self.pictures.submit(work, *args)
        future.add_done_callback(_log_escaped)
        return future

    def snapshot(self) -> Snapshot:
        """One knowledge snapshot: for replies that read the knowledge more than once."""
        return self.answerer.knowledge.snapshot()

    def question(self, text: str, thread: Filters | None) -> Question:
        """Read a question once, where it enters; a follow-up in a thread carries the thread's filters."""
        return self.answerer.question(text, thread=thread)

    def answer(self, question: Question) -> Answer:
        """Answer a question read with `question` (from any worker; each reads its own snapshot)."""
        return self.answerer.answer(question)

    def post(self, channel: str, reply: Reply, *, thread_ts: str = "", metadata: dict | None = None) -> str:
        """Post a message once, never unfurling links, retried as Slack advises; returns its ts."""
        return post_message(self.client, channel, thread_ts=thread_ts, metadata=metadata, text=reply.text,
                            blocks=reply.blocks, unfurl_links=False, unfurl_media=False)

    def whisper(self, channel: str, user: str, text: str, *, thread_ts: str = "") -> None:
        """An ephemeral message that only `user` sees, in the thread when one is given."""
        # The client retries a 429 or 5xx; after a lost response it does not, as an ephemeral cannot be looked up.
        options = {"thread_ts": thread_ts} if thread_ts else {}
        self.client.chat_postEphemeral(channel=channel, user=user, text=text, **options)

    def remember(self, answer_id: str, question: str, answer: Answer) -> None:
        """Keep the answer's record for votes; a failure here must not stop the answer being posted."""
        try:
            self.feedback.remember(answer_record(answer_id, question, answer))
        except Exception as err:  # the vote store is secondary to answering
            log.warning("feedback.remember_failed", error=type(err).__name__, answer_id=answer_id)

    def answered_already(self, channel: str, thread_ts: str, event_id: str, bot: Bot) -> bool:
        """True when the bot's reply to an event is in its thread already (a replica replied, then died)."""
        try:
            response = self.client.conversations_replies(channel=channel, ts=thread_ts, include_all_metadata=True,
                                                         limit=200)
        except Exception as err:  # unreadable: answering twice is better than not at all
            log.warning("slack.thread_lookup_failed", error=type(err).__name__, channel_hash=digest(channel))
            return False
        return any(answer_event(m, bot.user_id, bot.bot_id) == event_id for m in response.get("messages") or [])

    def thread_filters(self, channel: str, thread_ts: str, bot: Bot) -> Filters | None:
        """The filters of the bot's answer in a thread, from memory or else from the thread's messages in Slack."""
        known = self.state.thread(channel, thread_ts)
        if known is not None:
            return known
        try:
            # Another replica may have answered, or this one restarted: the answer's metadata says what it was.
            response = self.client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=200
            )
        except Exception as err:  # an unreadable thread is treated as one the bot has not answered
            log.warning("slack.thread_lookup_failed", error=type(err).__name__, channel_hash=digest(channel))
            return None
        found = from_replies(response.get("messages") or [], bot.user_id, bot.bot_id)
        if found is not None:
            self.state.keep_thread(channel, thread_ts, found)
        return found

    def publish_home(self, user: str) -> None:
        """Publish the App Home tab for one user."""
        try:
            self.client.views_publish(user_id=user, view=home_view(self.answerer.knowledge.reports.values(),
                                                                   self.freshness()))
            log.info("slack.home", user_hash=digest(user), outcome="published")
        except Exception as err:  # nowhere to reply to: the log line is the record
            log.error("slack.home", user_hash=digest(user), outcome="error", error=type(err).__name__,
                      error_at=failed_at(err), ref=new_ref())


def _log_escaped(future: Future) -> None:
    err = future.exception()
    if err is not None:
        log.error("slack.worker_failed", error=type(err).__name__, error_at=failed_at(err))
