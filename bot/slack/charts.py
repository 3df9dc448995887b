"""Charts in Slack: a judgement chart beside a grades answer, or beside a leaders' feature that has one.

Into the answer's thread when the answer is public, into the asker's DM when it was private. A chart failing never
takes the answer with it; the log line says what happened, by type, never by content.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog

from bot.answer import Answer
from bot.errors import InputError
from bot.leaders.feature import Feature
from bot.leaders.history import MAX_COUNCILS, History, comparison, council_history
from bot.leaders.standing import areas_asked
from bot.retrieval.intent import Kind
from bot.slack.drawing import chart_png
from bot.slack.files import dm, filename, upload
from bot.slack.service import Service, failed_at

log = structlog.get_logger()

GRADE_ROUTES = (Kind.GRADES, Kind.GRADES_LIST)


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


def share_chart(service: Service, history: History, channel: str, thread_ts: str = "") -> None:
    """Upload a chart, with its alt text, into a thread (or a DM)."""
    upload(service, "chart", channel, thread_ts, filename(history.title, ".png"), chart_png(history),
           title=history.title, alt_txt=history.alt_text())


def send_chart(service: Service, answer: Answer, question: str, channel: str, thread_ts: str = "",
               user: str = "") -> None:
    """After a grades answer: its chart in the answer's thread, or in the asker's DM when `user` is given."""
    _chart_to(service, user, lambda: dm(service, user) if user else channel, thread_ts,
              lambda knowledge: answer_chart(answer, question, knowledge))


def send_feature_chart(service: Service, feature: Feature, result, channel: str, thread_ts: str = "",
                       user: str = "") -> None:
    """After a leaders' feature with a chart: in its thread, or in the asker's DM when `user` is given."""
    if feature.chart is None:
        return
    draw = feature.chart
    _chart_to(service, user, lambda: dm(service, user) if user else channel, thread_ts,
              lambda knowledge: draw(result, knowledge))


def _chart_to(service: Service, user: str, channel: Callable[[], str], thread_ts: str,
              build: Callable[..., History | None]) -> None:
    """On the pictures worker: build a chart and share it; a private one (`user` set) only where DMs are on."""
    if user and not service.direct_messages:
        return  # a private reply's chart could only go by DM
    service.later(_draw_and_share, service, channel, thread_ts, build)


def _draw_and_share(service: Service, channel: Callable[[], str], thread_ts: str,
                    build: Callable[..., History | None]) -> None:
    try:
        history = build(service.snapshot())
        if history is not None:
            share_chart(service, history, channel(), thread_ts)
    except InputError:  # more councils than one chart tells apart: the reply lists them in words
        log.info("slack.upload", kind="chart", outcome="skipped")
    except Exception as err:  # a chart is extra: the reply stands without it
        log.error("slack.upload", kind="chart", outcome="error", error=type(err).__name__, error_at=failed_at(err))
