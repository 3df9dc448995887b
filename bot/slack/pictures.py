"""Charts and papers in Slack: a judgement chart beside a grades answer or a briefing, a Word paper on request.

Files go up with files_upload_v2 (getUploadURLExternal, the bytes, completeUploadExternal): into the answer's
thread when the answer is public, into the asker's DM when it was private. A file failing never takes the
answer with it; the log line says what happened, by type, never by content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import structlog

from bot.answer import Answer
from bot.errors import InputError
from bot.leaders.briefing import brief, find_local_authority
from bot.leaders.history import MAX_COUNCILS, History, comparison, council_history
from bot.leaders.judgement_table import judgement_table, parse_request
from bot.leaders.standing import areas_asked
from bot.leaders.theme import parse_theme_request, theme
from bot.privacy import digest
from bot.slack.drawing import chart_png
from bot.slack.service import Service, failed_at

log = structlog.get_logger()

GRADE_ROUTES = ("grades", "grades_list")
SUMMARY, THEME = "summary", "theme"
DOCX_VALUE = re.compile(r"(summary|theme):(.{1,200})", re.S)  # what a Download as Word button carries
_SAFE_NAME = re.compile(r"[^A-Za-z0-9 ,.'()-]+")


def answer_chart(answer: Answer, question: str, knowledge) -> History | None:
    """The chart a grades answer deserves: one council's history, or its councils (2 to 8) on the area asked."""
    if not answer.answered or answer.route not in GRADE_ROUTES:
        return None
    councils = list(dict.fromkeys(e.report.local_authority for e in answer.excerpts if e.report.local_authority))
    if len(councils) == 1:
        return council_history(knowledge, councils[0])
    if 2 <= len(councils) <= MAX_COUNCILS:
        return comparison(knowledge, councils, areas_asked(question)[0])
    return None  # more councils than one chart can tell apart: the answer's list says it in words


def filename(title: str, suffix: str) -> str:
    """A file name from a title, with nothing a file system or Slack could misread."""
    return " ".join(_SAFE_NAME.sub(" ", title).split())[:80] + suffix


def share_chart(service: Service, history: History, channel: str, thread_ts: str = "") -> None:
    """Upload a chart, with its alt text, into a thread (or a DM)."""
    _upload(service, "chart", channel, thread_ts, filename(history.title, ".png"), chart_png(history),
            title=history.title, alt_txt=history.alt_text())


def send_chart(service: Service, answer: Answer, question: str, channel: str, thread_ts: str = "",
               user: str = "") -> None:
    """After a grades answer: its chart in the answer's thread, or in the asker's DM when `user` is given."""
    _chart_to(service, user, lambda: dm(service, user) if user else channel, thread_ts,
              lambda knowledge: answer_chart(answer, question, knowledge))


def send_briefing_chart(service: Service, local_authority: str, user: str) -> None:
    """After `/findings summary X` (a private reply): the council's chart in the asker's DM."""
    def build(knowledge) -> History:
        return council_history(knowledge, find_local_authority(local_authority, knowledge.local_authorities))

    _chart_to(service, user, lambda: dm(service, user), "", build)


def send_table_chart(service: Service, request: str, user: str) -> None:
    """After `/findings judgements …` listing 1 to 8 councils: their histories on that judgement, in the DM."""
    def build(knowledge) -> History | None:
        judgement, grade = parse_request(request)
        councils = [row.local_authority for row in judgement_table(knowledge, judgement, grade)]
        return comparison(knowledge, councils, judgement) if 1 <= len(councils) <= MAX_COUNCILS else None

    _chart_to(service, user, lambda: dm(service, user), "", build)


def _chart_to(service: Service, user: str, channel: Callable[[], str], thread_ts: str,
              build: Callable[..., History | None]) -> None:
    """On the pictures worker: build a chart and share it; a private one (`user` set) only where DMs are on."""
    if user and not service.direct_messages:
        return  # a private reply's chart could only go by DM
    service.later(_draw_and_share, service, channel, thread_ts, build)


def _draw_and_share(service: Service, channel: Callable[[], str], thread_ts: str,
                    build: Callable[..., History | None]) -> None:
    try:
        history = build(service.pinned().knowledge)
        if history is not None:
            share_chart(service, history, channel(), thread_ts)
    except Exception as err:  # a chart is extra: the reply stands without it
        log.error("slack.upload", kind="chart", outcome="error", error=type(err).__name__, error_at=failed_at(err))


class NoDirectMessages(InputError):
    """Findings is not enabled in DMs here, and private files can only go by DM."""


def dm(service: Service, user: str) -> str:
    """The id of the bot's direct-message conversation with a user, if DMs are enabled."""
    if not service.direct_messages:
        raise NoDirectMessages("Charts and Word documents come by direct message, and Findings is not enabled in "
                               "direct messages here.")
    return str(service.client.conversations_open(users=user)["channel"]["id"])


def paper(service: Service, value: str) -> tuple[str, bytes]:
    """The Word document a button asks for, as (file name, bytes): a council's briefing or a theme."""
    match = DOCX_VALUE.fullmatch(value)
    if not match:
        raise InputError("That download button is not one I made.")
    kind, subject = match.groups()
    # python-docx and lxml cost a replica about 12 MiB: loaded on the first download, not at start.
    from bot.leaders.document import briefing_document, theme_document

    engine = service.pinned()
    today = dt.date.today()
    if kind == SUMMARY:
        knowledge = engine.knowledge
        la = find_local_authority(subject, knowledge.local_authorities)
        history = council_history(knowledge, la)
        data = briefing_document(brief(la, knowledge), history, chart_png(history), today)
        return filename(f"Briefing {la} {today.isoformat()}", ".docx"), data
    topic, since = parse_theme_request(subject)
    return filename(f"Theme {topic} {today.isoformat()}", ".docx"), theme_document(theme(topic, since, engine), today)


def send_paper(service: Service, value: str, user: str) -> None:
    """Build the document and put it in the user's DM, privately."""
    channel = dm(service, user)  # before the work: without DMs there is nowhere private to send it
    name, data = paper(service, value)
    _upload(service, "docx", channel, "", name, data, title=name.removesuffix(".docx"),
            initial_comment="Here is the Word document you asked for: every quote is cited, with its link.")


def _upload(service: Service, kind: str, channel: str, thread_ts: str, name: str, data: bytes, **extra) -> None:
    options = {"thread_ts": thread_ts} if thread_ts else {}
    service.client.files_upload_v2(channel=channel, filename=name, content=data, **options, **extra)
    log.info("slack.upload", kind=kind, outcome="shared", bytes=len(data), channel_hash=digest(channel),
             threaded=bool(thread_ts))
