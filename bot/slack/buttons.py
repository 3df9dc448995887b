"""The buttons on an answer: 'Share in channel' reposts an ephemeral answer, 👍/👎 records a vote."""

import re
from collections.abc import Callable

import structlog
from slack_sdk.errors import SlackApiError

from bot.errors import InputError
from bot.privacy import digest
from bot.slack.blocks import VOTE_UP, Reply, answer_reply, notice
from bot.slack.mrkdwn import escape
from bot.slack.papers import paper_kind, send_paper
from bot.slack.service import Service, failed_at, new_ref
from bot.slack.slash import respond_with
from bot.slack.thread import context, to_metadata
from bot.slack.wording import CANT_POST, EXPIRED, PAPER_SENT, failure, slow_down, vote_thanks

log = structlog.get_logger()

# Errors that mean the bot may not post in that conversation, as opposed to something broken.
_NOT_ALLOWED = frozenset({"not_in_channel", "channel_not_found", "is_archived", "restricted_action"})
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
_ANSWER_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _answer_id(action: dict) -> str:
    value = str(action.get("value") or "")
    return value if _ANSWER_ID.fullmatch(value) else ""


def on_share(service: Service, body: dict, action: dict, respond: Callable) -> None:
    """From the listener, after the ack: hand the share to a worker."""
    channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
    user = str((body.get("user") or {}).get("id") or "")
    service.submit(share, service, _answer_id(action), channel, user, respond)


def share(service: Service, answer_id: str, channel: str, user: str, respond: Callable) -> None:
    """Post a recent ephemeral answer publicly in the channel, then remove the ephemeral copy."""
    ref, outcome = new_ref(), "error"
    try:
        recent = service.state.recent(answer_id) if answer_id else None
        if recent is None:
            respond_with(respond, notice(EXPIRED))
            outcome = "expired"
            return
        who = f"<@{user}> shared" if _USER_ID.fullmatch(user) else "Shared"
        header = f"{who} an answer from /findings"
        if not recent.private:  # a question that looked like personal data is never reposted
            header = f"{who} an answer to “{escape(recent.question)}”"
        scope = context(recent.answer)
        ts = service.post(channel, answer_reply(recent.answer, answer_id, header=header),
                          metadata=to_metadata(scope, answer_id))
        service.state.keep_thread(channel, ts, scope)  # follow-ups in the shared answer's thread keep its filters
        respond(delete_original=True)
        outcome = "shared"
    except SlackApiError as err:
        outcome = "not_allowed" if err.response.get("error") in _NOT_ALLOWED else "error"
        _reply(respond, notice(CANT_POST if outcome == "not_allowed" else failure(ref)), ref)
    except Exception as err:  # never silent
        log.error("slack.share_failed", ref=ref, error=type(err).__name__, error_at=failed_at(err))
        _reply(respond, notice(failure(ref)), ref)
    finally:
        log.info("slack.share", outcome=outcome, answer_id=answer_id, user_hash=digest(user),
                 channel_hash=digest(channel), ref=ref)


def on_vote(service: Service, body: dict, action: dict, respond: Callable) -> None:
    """From the listener, after the ack: hand the vote to a worker."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    where = {
        "channel": str(container.get("channel_id") or (body.get("channel") or {}).get("id") or ""),
        "thread_ts": str(message.get("thread_ts") or message.get("ts") or ""),
        "ephemeral": bool(container.get("is_ephemeral")) or not message,
    }
    user = str((body.get("user") or {}).get("id") or "")
    vote_name = "up" if action.get("action_id") == VOTE_UP else "down"
    service.submit(vote, service, _answer_id(action), user, vote_name, where, respond)


def vote(service: Service, answer_id: str, user: str, choice: str, where: dict, respond: Callable) -> None:
    """Record a vote and confirm it to the voter alone: in the thread, or ephemerally under an ephemeral answer."""
    ref, outcome = new_ref(), "error"
    try:
        earlier = service.feedback.vote(answer_id or "unknown", digest(user), choice)
        thanks = vote_thanks(choice, earlier)
        if where["ephemeral"]:
            respond_with(respond, notice(thanks))
        else:
            service.whisper(where["channel"], user, thanks, thread_ts=where["thread_ts"])
        outcome = "recorded"
    except Exception as err:  # never silent
        log.error("slack.vote_failed", ref=ref, error=type(err).__name__, error_at=failed_at(err))
        _reply(respond, notice(failure(ref)), ref)
    finally:
        log.info("slack.vote", outcome=outcome, vote=choice, answer_id=answer_id, user_hash=digest(user), ref=ref)


def on_download(service: Service, body: dict, action: dict, respond: Callable) -> None:
    """From the listener, after the ack: hand the Word document to a worker."""
    user = str((body.get("user") or {}).get("id") or "")
    service.submit(download, service, str(action.get("value") or ""), user, respond)


def download(service: Service, value: str, user: str, respond: Callable) -> None:
    """Send the briefing or theme as a Word document to the user's DM, and say so privately where they clicked."""
    ref, outcome = new_ref(), "error"
    try:
        wait = service.state.take(user)  # a document costs as much as the summary it comes from
        if wait:
            respond_with(respond, notice(slow_down(wait)))
            outcome = "rate_limited"
            return
        send_paper(service, value, user)
        respond_with(respond, notice(PAPER_SENT))
        outcome = "sent"
    except InputError as err:  # a council that has since gone from the knowledge base, a button not ours
        _reply(respond, notice(escape(str(err))), ref)
        outcome = "refused"
    except Exception as err:  # never silent
        log.error("slack.download_failed", ref=ref, error=type(err).__name__, error_at=failed_at(err))
        _reply(respond, notice(failure(ref)), ref)
    finally:
        log.info("slack.download", outcome=outcome, kind=paper_kind(value), user_hash=digest(user), ref=ref)


def _reply(respond: Callable, reply: Reply, ref: str) -> None:
    try:
        respond_with(respond, reply)
    except Exception as err:  # Slack itself is failing; the log line is all that is left
        log.error("slack.reply_failed", ref=ref, error=type(err).__name__)
