"""The /findings command: a question, help, sources, or a leaders' summary, answered ephemerally on a worker."""

from collections.abc import Callable

import structlog

from bot.answer import Answer, Filters
from bot.errors import InputError, StoreUnavailable
from bot.leaders.feature import Feature, Request, feature
from bot.privacy import digest
from bot.slack.blocks import Reply, answer_reply, notice
from bot.slack.charts import send_chart, send_feature_chart
from bot.slack.command import ASK, HELP, SOURCES, parse_command
from bot.slack.conversation import Outlet, Question, run_question
from bot.slack.delivery import Unconfirmed, retrying_respond
from bot.slack.following import FOLLOW, UNFOLLOW, follow_reply
from bot.slack.guide import help_reply, sources_reply
from bot.slack.message import plain_text
from bot.slack.mrkdwn import escape
from bot.slack.service import Service, failed_at, new_ref
from bot.slack.summaries import feature_reply
from bot.slack.wording import PRIVACY_REMINDER, failure, slow_down, unavailable
from bot.state import Recent

log = structlog.get_logger()


def respond_with(respond: Callable, reply: Reply, **options) -> None:
    """Send an ephemeral reply through the response_url, raising if Slack refuses it."""
    response = respond(text=reply.text, blocks=reply.blocks or None, response_type="ephemeral",
                       replace_original=False, **options)
    if getattr(response, "status_code", 200) != 200:
        raise RuntimeError(f"response_url returned {response.status_code}")


def on_command(service: Service, command: dict, respond: Callable) -> None:
    """From the /findings listener, after the ack: hand the subcommand to a worker."""
    respond = retrying_respond(respond)  # a response_url that answers 429 or 500/503 posted nothing: send again
    sub, text = parse_command(plain_text(str(command.get("text") or "")))
    service.submit(run_command, service, sub, text, command, respond)


def run_command(service: Service, sub: str, text: str, command: dict, respond: Callable) -> None:
    """On a worker: answer `/findings <question>`, `help` or `sources`, ephemerally."""
    channel, user = str(command.get("channel_id", "")), str(command.get("user_id", ""))
    if sub == ASK:
        outlet = _command_outlet(service, text, user, respond)
        run_question(service, Question(text, channel, user, "command"), outlet)
        return
    wait = service.state.take(user) if sub not in (HELP, SOURCES) else 0.0
    if wait:  # summaries and themes cost more than a question, so they count too
        respond_with(respond, Reply(slow_down(wait)))
        log.info("slack.command", subcommand=sub, user_hash=digest(user), chars=len(text), outcome="rate_limited",
                 retry_after_s=round(wait, 1))
        return
    ref = new_ref()
    try:
        asked = feature(sub)
        if sub in (FOLLOW, UNFOLLOW):
            respond_with(respond, Reply(escape(follow_reply(service.state, user, sub, text))))
        elif asked is None:
            respond_with(respond, guide_reply(service, sub))
        else:
            result = asked.build(Request(text, service.snapshot(), service.answerer))
            respond_with(respond, feature_reply(asked, result))
            send_feature_chart(service, asked, result, "", user=user)  # the reply is private: its chart goes by DM
        log.info("slack.command", subcommand=sub, user_hash=digest(user), chars=len(text), outcome="ok")
    except InputError as err:  # an LA with no reports, an unknown judgement: one clear line
        respond_with(respond, notice(escape(str(err))))
        log.info("slack.command", subcommand=sub, user_hash=digest(user), chars=len(text), outcome="refused")
    except Exception as err:  # never silent
        down = isinstance(err, StoreUnavailable)
        log.error("slack.command", subcommand=sub, user_hash=digest(user), outcome="unavailable" if down else "error",
                  ref=ref, error=type(err).__name__, error_at=failed_at(err))
        if isinstance(err, Unconfirmed):  # the reply may be showing already, so a notice could double it
            return
        try:
            respond_with(respond, notice(unavailable(ref) if down else failure(ref)))
        except Exception as again:
            log.error("slack.reply_failed", ref=ref, error=type(again).__name__)


def guide_reply(service: Service, sub: str) -> Reply:
    """The reply to `/findings help` or `/findings sources`."""
    reports = list(service.snapshot().reports.values())
    return help_reply(reports) if sub == HELP else sources_reply(reports, service.freshness())


def _command_outlet(service: Service, text: str, user: str, respond: Callable) -> Outlet:
    def answer(result: Answer, answer_id: str, _filters: Filters | None, private: bool) -> None:
        # A question that looked like personal data is never reposted, so its words are not kept (nor sent to Redis).
        service.state.keep_recent(answer_id, Recent("" if private else text, result, private))
        respond_with(respond, answer_reply(result, answer_id, shareable=result.answered))
        send_chart(service, result, text, "", user=user)  # a private grades answer's picture, in the asker's DM

    def say(reply: Reply) -> None:
        respond_with(respond, reply)

    def remind() -> None:
        respond_with(respond, Reply(PRIVACY_REMINDER))

    def tell(text: str) -> None:
        respond_with(respond, Reply(text))

    def feature(asked: Feature, result) -> None:
        respond_with(respond, feature_reply(asked, result))
        send_feature_chart(service, asked, result, "", user=user)

    return Outlet(answer, say, remind, tell, feature)
