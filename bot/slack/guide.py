"""What the bot knows and how to ask it: the App Home tab, `/findings help` and `/findings sources`."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.attribution import display_date
from bot.leaders.feature import features
from bot.report import Report
from bot.slack.blocks import Reply, context, section
from bot.slack.mrkdwn import escape, trim

ASKING = (
    "*How to ask*\n"
    "• Mention me in a channel: `@Findings what did inspectors say about supervision in Dorset?` "
    "I reply in a thread.\n"
    "• Send me a direct message.\n"
    "• Reply in my thread to follow up: the local authority and years carry over, so _and care leavers?_ "
    "stays on the same council.\n"
    "• `/findings <question>` answers privately, with a button to share the answer in the channel.\n"
)


def how_to_ask() -> str:
    """How to ask: mentions, DMs, threads, then every leaders' feature in the registry, then sources and help."""
    lines = [f"• `/findings {f.usage}`: {f.help}" for f in features()]
    return ASKING + "\n".join([*lines, "• `/findings sources` lists the reports I hold; `/findings help` shows this."])


PRIVACY = "Please don't share personal data about children or families in Slack: I only need the question."


@dataclass(frozen=True)
class Coverage:
    """How much the knowledge base holds."""

    reports: int
    local_authorities: int
    earliest: str
    latest: str
    secondary: int


def coverage(reports: Iterable[Report]) -> Coverage:
    """Count reports and local authorities and find the publication date range."""
    reports = list(reports)
    dates = sorted(r.published for r in reports if r.published)
    las = {r.local_authority for r in reports if r.local_authority}
    secondary = sum(r.secondary for r in reports)
    return Coverage(len(reports), len(las), dates[0] if dates else "", dates[-1] if dates else "", secondary)


def coverage_line(cov: Coverage) -> str:
    """'I hold 66 reports on 52 local authorities, published 19 October 2015 to 28 July 2026.'"""
    if not cov.reports:
        return "I don't hold any reports yet: an administrator needs to run `findings ingest`."
    text = f"I hold {cov.reports} report{'s' * (cov.reports != 1)} on {cov.local_authorities} local authorit" + (
        "ies" if cov.local_authorities != 1 else "y"
    )
    if cov.earliest:
        text += f", published {escape(display_date(cov.earliest))} to {escape(display_date(cov.latest))}"
    if cov.secondary:
        text += f" ({cov.secondary} of them news items, labelled as secondary sources)"
    return text + "."


def examples(reports: Iterable[Report]) -> list[str]:
    """Three example questions, naming the local authorities the bot knows best."""
    counts = Counter(r.local_authority for r in reports if r.local_authority and not r.secondary)
    best = [la for la, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))][:2] or ["Dorset", "Essex"]
    best *= 2 // len(best)  # with one council known, both examples name it
    return [
        f"What did inspectors say about supervision in {best[0]}?",
        f"How are care leavers doing in {best[1]}?",
        "Which councils were told to improve return home interviews?",
    ]


def help_reply(reports: Iterable[Report]) -> Reply:
    """The `/findings help` reply."""
    reports = list(reports)
    lines = "\n".join(f"• _{escape(q)}_" for q in examples(reports))
    blocks = [
        section("I answer with *verbatim, attributed quotes* from Ofsted reports. " + coverage_line(coverage(reports))),
        section(how_to_ask()),
        section(f"*Try*\n{lines}"),
        context(PRIVACY),
    ]
    return Reply("How to use Findings: mention me, DM me, or use /findings <question>.", blocks)


def sources_reply(reports: Iterable[Report], fresh: str = "") -> Reply:
    """The `/findings sources` reply: the coverage, when the last sync ran, then every local authority with its
    number of reports."""
    reports = list(reports)
    line = coverage_line(coverage(reports))
    counts = Counter(r.local_authority for r in reports if r.local_authority)
    listing = ", ".join(f"{escape(la)} ({n})" for la, n in sorted(counts.items()))
    blocks = [section(line), *([context(escape(fresh))] if fresh else [])]
    if listing:
        blocks.append(section(trim("*Local authorities:* " + listing, 3000)))
    return Reply(line, blocks)


def home_view(reports: Iterable[Report], fresh: str = "") -> dict:
    """The App Home tab: what the bot knows and how fresh it is, how to ask, and example questions."""
    reports = list(reports)
    lines = "\n".join(f"• _{escape(q)}_" for q in examples(reports))
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Findings: what Ofsted inspectors found"}},
            section(
                "Ask about local authority children's services and I answer with quotes from Ofsted's reports, "
                "word for word, each with its source. I never paraphrase, and I say so when the reports don't answer."
            ),
            section("*What I know*\n" + coverage_line(coverage(reports))),
            *([context(escape(fresh))] if fresh else []),
            {"type": "divider"},
            section(how_to_ask()),
            section(f"*Example questions*\n{lines}"),
            context(PRIVACY),
        ],
    }
