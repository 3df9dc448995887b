"""Answer a question from a message or /findings: never silent, never twice, one canonical log line each."""

import time
from collections.abc import Callable
from dataclasses import dataclass

import structlog

from bot.answer import Answer, Filters
from bot.errors import InputError, StoreUnavailable
from bot.leaders.feature import Feature, Request, asked_in_chat
from bot.privacy import digest, find_personal_data
from bot.slack.blocks import Reply, answer_reply, notice
from bot.slack.charts import send_chart, send_feature_chart
from bot.slack.delivery import Unconfirmed
from bot.slack.message import MAX_QUESTION, THREAD, Incoming, plain_text, route
from bot.slack.service import Bot, Service, failed_at, new_answer_id, new_ref
from bot.slack.summaries import feature_reply
from bot.slack.thread import context, to_metadata
from bot.slack.wording import EMPTY_QUESTION, PRIVACY_REMINDER, failure, slow_down, too_long, unavailable
from bot.state import BUSY, CLAIMED, TAKEN

log = structlog.get_logger()


@dataclass(frozen=True)
class Question:
    """A question as the answer path sees it, wherever it was asked."""

    text: str
    channel: str
    user: str
    surface: str  # mention, dm, listen, thread or command
    thread: Filters | None = None  # the filters of the bot's earlier answer in this thread
    event_id: str = ""
    retry: int = 0


@dataclass(frozen=True)
class Outlet:
    """Where one question's replies go: the answer, any other reply, and the privacy reminder."""

    answer: Callable[[Answer, str, Filters | None, bool], None]  # answer, answer id, filters used, private
    say: Callable[[Reply], None]
    remind: Callable[[], None]
    tell: Callable[[str], None] | None = None  # a line only the asker sees; without it, `say` is used
    feature: Callable[[Feature, object], None] | None = None  # a leaders' feature asked in plain words


def run_question(service: Service, question: Question, outlet: Outlet) -> None:
    """Answer, remind about personal data if needed, reply on any failure with a ref, and log one line."""
    started = time.perf_counter()
    ref = new_ref()
    fields: dict = {
        "surface": question.surface, "event_id": question.event_id, "retry": question.retry,
        "user_hash": digest(question.user), "channel_hash": digest(question.channel),
        "question_hash": digest(question.text), "question_chars": len(question.text),
        "carried": question.thread is not None, "ref": ref,
    }
    outcome = "error"
    with structlog.contextvars.bound_contextvars(ref=ref):
        try:
            personal = find_personal_data(question.text)
            fields["personal_data"] = list(personal)
            if personal:
                _remind(outlet, fields)
            if not question.text:
                outlet.say(notice(EMPTY_QUESTION))
                outcome = "empty"
                return
            if len(question.text) > MAX_QUESTION:
                outlet.say(notice(too_long(len(question.text), MAX_QUESTION)))
                outcome = "too_long"
                return
            wait = service.state.take(question.user)
            if wait:  # over the rate limit: a private line saying how long to wait, and no answer
                fields["retry_after_s"] = round(wait, 1)
                if outlet.tell:
                    outlet.tell(slow_down(wait))
                else:
                    outlet.say(notice(slow_down(wait)))
                outcome = "rate_limited"
                return
            if outlet.feature and _feature_asked(service, question, outlet.feature, fields):
                outcome = "feature"
                return
            asked = service.question(question.text, question.thread)
            filters = asked.given if question.thread is not None else None
            answer = service.answer(asked)
            answer_id = new_answer_id()
            service.remember(answer_id, question.text, answer)
            outlet.answer(answer, answer_id, filters, bool(personal))
            fields.update(
                answer_id=answer_id, answered=answer.answered, excerpts=len(answer.excerpts),
                reports=len({e.report.id for e in answer.excerpts}),
            )
            outcome = "answered" if answer.answered else "refused"
        except Exception as err:  # never silent: whatever broke, the asker gets a reply with the ref
            fields.update(error=type(err).__name__, error_at=failed_at(err))
            if isinstance(err, StoreUnavailable):
                outcome = "unavailable"
            if isinstance(err, Unconfirmed):  # the reply may be in Slack already, so a notice could double it
                fields["delivery"] = "unconfirmed"
                return
            try:
                outlet.say(notice(unavailable(ref) if outcome == "unavailable" else failure(ref)))
            except Exception as again:  # Slack itself is failing; the log line is all that is left
                fields["reply_error"] = type(again).__name__
        finally:
            emit = log.error if outcome in ("error", "unavailable") else log.info
            emit("slack.question", outcome=outcome, latency_ms=round((time.perf_counter() - started) * 1000), **fields)


def _feature_asked(service: Service, question: Question, send: Callable[[Feature, object], None],
                   fields: dict) -> bool:
    """Reply with the leaders' feature this message asks for in plain words ("brief me on Dorset"), if any; in a
    thread, the council it is about is what "we" means."""
    claim = asked_in_chat(question.text)
    if claim is None:
        return False
    wanted, subject = claim
    ours = question.thread.local_authorities if question.thread else ()
    try:
        result = wanted.build(Request(subject, service.snapshot(), service.answerer, {"councils": ours}))
    except InputError:  # not a council (or topic) it knows: the words are a question after all
        return False
    send(wanted, result)
    fields["feature"] = wanted.name
    return True


def _remind(outlet: Outlet, fields: dict) -> None:
    try:
        outlet.remind()
    except Exception as err:  # the reminder failing must not stop the answer
        fields["remind_error"] = type(err).__name__


def on_message(service: Service, msg: Incoming, bot: Bot) -> None:
    """From a Bolt listener: decide whether to answer, claim the event once, and hand it to a worker."""
    how = route(msg, bot.user_id, service.listen_channels)
    if not how:
        return
    claimed = service.state.claim(msg.keys)
    if claimed == BUSY:
        # Another replica is answering it. If that replica dies first, its claim lapses and this one answers.
        service.watch(msg.keys, lambda: service.submit(answer_message, service, msg, how, bot, True))
    if claimed not in (CLAIMED, TAKEN):
        # A retry of an event already in hand, or the app_mention twin of a message event.
        log.info("slack.duplicate", event_id=msg.event_id, retry=msg.retry, channel_hash=digest(msg.channel),
                 state=claimed)
        return
    service.submit(answer_message, service, msg, how, bot, claimed == TAKEN)


def answer_message(service: Service, msg: Incoming, how: str, bot: Bot, takeover: bool = False) -> None:
    """On a worker: answer a message in its thread, carrying the thread's filters; then mark the event done."""
    try:
        if takeover:
            # The replica that held this event died; it may have replied just before.
            answered = service.answered_already(msg.channel, msg.reply_ts, msg.event_id, bot)
            log.warning("slack.takeover", event_id=msg.event_id, already_answered=answered)
            if answered:
                return
        thread = service.thread_filters(msg.channel, msg.thread_ts, bot) if msg.in_thread else None
        if how == THREAD and thread is None:
            return  # a conversation the bot has no part in
        question = Question(plain_text(msg.text, bot.user_id), msg.channel, msg.user, how, thread, msg.event_id,
                            msg.retry)
        run_question(service, question, _thread_outlet(service, msg))
    finally:
        service.state.finish(msg.keys)


def _thread_outlet(service: Service, msg: Incoming) -> Outlet:
    def answer(result: Answer, answer_id: str, filters: Filters | None, _private: bool) -> None:
        scope = context(result, filters)
        reply = answer_reply(result, answer_id)
        service.post(msg.channel, reply, thread_ts=msg.reply_ts, metadata=to_metadata(scope, answer_id, msg.event_id))
        service.state.keep_thread(msg.channel, msg.reply_ts, scope)
        send_chart(service, result, msg.text, msg.channel, msg.reply_ts)  # for a grades answer, its picture

    def say(reply: Reply) -> None:
        service.post(msg.channel, reply, thread_ts=msg.reply_ts)

    def remind() -> None:
        # In the thread if the question was in one; otherwise where the sender is looking, in the channel.
        service.whisper(msg.channel, msg.user, PRIVACY_REMINDER, thread_ts=msg.thread_ts)

    def tell(text: str) -> None:
        service.whisper(msg.channel, msg.user, text, thread_ts=msg.thread_ts)

    def feature(asked: Feature, result) -> None:
        service.post(msg.channel, feature_reply(asked, result), thread_ts=msg.reply_ts)
        send_feature_chart(service, asked, result, msg.channel, msg.reply_ts)

    return Outlet(answer, say, remind, tell, feature)
