"""Tests for what the bot says about itself: the App Home tab, help and sources."""

import json

from bot.report import Report
from bot.slack.command import ASK, HELP, SOURCES, parse_command
from bot.slack.guide import coverage, coverage_line, examples, help_reply, home_view, sources_reply


def _report(rid: str, la: str, published: str, kind: str = "focused_visit") -> Report:
    return Report(rid, f"Visit to {la}", la, kind, "Ofsted", published)


REPORTS = [
    _report("k1", "Kent", "2019-05-01"), _report("k2", "Kent", "2023-01-10"), _report("e1", "Essex", "2021-11-22"),
    _report("n1", "Reading", "2018-03", "news"), _report("h1", "Halton <&>", "2020-04-15"),
]


def test_coverage_counts_reports_councils_dates_and_secondary_sources():
    """Coverage is the number of reports and local authorities, the date range and the news items."""
    cov = coverage(REPORTS)
    assert (cov.reports, cov.local_authorities, cov.earliest, cov.latest, cov.secondary) == (
        5, 4, "2018-03", "2023-01-10", 1)
    assert coverage_line(cov) == (
        "I hold 5 reports on 4 local authorities, published March 2018 to 10 January 2023 "
        "(1 of them news items, labelled as secondary sources)."
    )


def test_empty_knowledge_base_says_how_to_fill_it():
    """With no reports the bot says an administrator needs to ingest some."""
    assert "findings ingest" in coverage_line(coverage([]))
    assert len(examples([])) == 3


def test_examples_name_councils_the_bot_knows_best():
    """Example questions use the local authorities with the most primary reports."""
    found = examples(REPORTS)
    assert "Kent" in found[0] and "Essex" in found[1] and "Reading" not in " ".join(found)


def test_home_view_shows_knowledge_how_to_ask_and_examples():
    """The Home tab has the coverage, how to ask (mention, DM, thread, /findings) and example questions."""
    view = home_view(REPORTS)
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home" and view["blocks"][0]["type"] == "header"
    for part in ("I hold 5 reports on 4 local authorities", "Mention me", "direct message", "/findings",
                 "Example questions", "What did inspectors say about supervision in Kent?"):
        assert part in text


def test_sources_lists_every_council_escaped():
    """/findings sources lists each local authority with its count, escaping odd names."""
    blocks = json.dumps(sources_reply(REPORTS).blocks)
    assert "Essex (1), Halton &lt;&amp;&gt; (1), Kent (2), Reading (1)" in blocks and "<&>" not in blocks


def test_help_explains_following_up_and_privacy():
    """/findings help explains follow-ups in threads and asks for no personal data."""
    text = json.dumps(help_reply(REPORTS).blocks)
    assert "follow up" in text and "personal data" in text


def test_parse_command_picks_subcommands_or_a_question():
    """A bare 'help' or 'sources' is a subcommand; empty text is help; anything else is a question."""
    assert parse_command("") == (HELP, "") and parse_command(" HELP ") == (HELP, "")
    assert parse_command("sources") == (SOURCES, "")
    assert parse_command("sources of funding in Kent") == (ASK, "sources of funding in Kent")
