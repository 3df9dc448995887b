"""New reports announced where people will see them: once in the announcement channel, and by DM to followers.

Each report is posted once across replicas and restarts (`State.first`). The post says what the report is and
what it graded against the grade before, links the report, quotes its headline (verbatim, attributed) and has a
**Summary** button that gives the council's briefing.
"""

from __future__ import annotations

from collections.abc import Callable

import structlog
from slack_sdk import WebClient

from bot.leaders.news import News, news_of
from bot.privacy import digest
from bot.retrieval.knowledge import Knowledge
from bot.slack.blocks import SUMMARY, attribution, context, quote, section
from bot.slack.mrkdwn import escape
from bot.state import State

log = structlog.get_logger()


def news_blocks(news: News) -> list[dict]:
    """The announcement: its line with the report's link, the headline quotes, and the Summary button."""
    report = news.report
    link = f" <{report.url}|the report>" if report.url.startswith(("https://", "http://")) else ""
    blocks = [section(f"*{escape(news.line)}*" + (f" ·{link}" if link else ""))]
    for item in news.quotes:
        blocks += [section(quote(item.excerpt())), context(attribution(item.excerpt()))]
    blocks.append({"type": "actions", "elements": [{
        "type": "button", "action_id": SUMMARY, "value": report.local_authority[:2000],
        "text": {"type": "plain_text", "text": "Summary"}}]})
    return blocks


class Announcer:
    """Posts each new report once: to the channel, and to each follower of its council by DM."""

    def __init__(self, client: WebClient, state: State, channel: str, knowledge: Callable[[], Knowledge]) -> None:
        self.client, self.state, self.channel, self.knowledge = client, state, channel, knowledge

    def announce(self, report_ids: list[str]) -> int:
        """Announce the reports not announced before; returns how many this replica posted."""
        knowledge = self.knowledge()
        following = self.state.following()
        posted = 0
        for report_id in report_ids:
            report = knowledge.reports.get(report_id)
            if report is None or not self.state.first(f"announced:{report_id}"):
                continue
            news = news_of(knowledge, report)
            blocks = news_blocks(news)
            targets = [self.channel] if self.channel else []
            targets += sorted(t for t, councils in following.items() if report.local_authority in councils)
            for target in dict.fromkeys(targets):
                try:
                    self.client.chat_postMessage(channel=target, text=news.line, blocks=blocks, unfurl_links=False)
                except Exception as err:  # one target failing must not stop the others
                    log.error("slack.announce_failed", target_hash=digest(target), error=type(err).__name__)
            posted += 1
            log.info("slack.announced", report=report_id, targets=len(targets))
        return posted
