"""/findings summary, theme and judgements: signed commands to the real HTTP server, real summaries, posted bodies."""

import html
import itertools
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.leaders.briefing import Briefing, Judgement
from bot.leaders.judgement_table import JudgementRow, JudgementTable
from bot.leaders.quote import Quote
from bot.leaders.theme import Theme
from bot.report import Report
from bot.retrieval.polarity import CONCERN, STRENGTH
from bot.slack.command import ASK, parse_command
from bot.slack.summaries import briefing_reply, judgements_reply, theme_reply
from tests.leaders_kb import REPORTS
from tests.slack_fake import (
    BOT_USER,
    HOSTILE_PIECES,
    make_settings,
    message_event,
    running_fake,
    running_http,
    slack_problems,
)

SOURCES = {path.stem: path.read_text(encoding="utf-8") for path in REPORTS}


def _reply(tmp_path, answerer, text: str) -> dict:
    """Post `/findings <text>` and return what came back through the response URL."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), answerer) as app:
        status, _ = app.post_command(text, fake.response_url("cmd"))
        [reply] = fake.wait_for("response_url", timeout=60)
    assert status == 200 and reply["response_type"] == "ephemeral"
    return reply


def _quotes(reply: dict) -> list[str]:
    """The block quotes in a reply, unescaped back to the report's text."""
    found = []
    for block in reply["blocks"]:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "section" and text.startswith(">“"):
            found.append(html.unescape("\n".join(line.removeprefix(">") for line in text.split("\n")).strip("“”")))
    return found


def test_subcommands_take_their_argument_and_anything_else_is_a_question():
    """`summary Dorset`, `theme supervision since 2022` and `judgements` parse; a bare 'summary' is a question."""
    assert parse_command("summary Dorset") == ("summary", "Dorset")
    assert parse_command("Theme supervision since 2022") == ("theme", "supervision since 2022")
    assert parse_command("judgements care leavers outstanding") == ("judgements", "care leavers outstanding")
    assert parse_command("judgements") == ("judgements", "")
    assert parse_command("brief me on Isle of Wight, please") == ("summary", "Isle of Wight")
    assert parse_command("summary") == (ASK, "summary")


def test_summary_is_a_briefing_of_verbatim_attributed_quotes(tmp_path, leaders_answerer):
    """`/findings summary Herefordshire` gives judgements, the grade history and quotes found word for word."""
    reply = _reply(tmp_path, leaders_answerer, "summary Herefordshire")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Briefing: Herefordshire" in text and "Latest judgements" in text
    assert re.search(r"Inadequate 2022 → Good 2026", text)
    quotes = _quotes(reply)
    assert len(quotes) >= 3
    herefordshire = "\n".join(body for stem, body in SOURCES.items() if stem.startswith("herefordshire"))
    assert all(q in herefordshire for q in quotes)
    assert len(reply["blocks"]) <= 50 and all(len(b.get("text", {}).get("text", "")) <= 3000 for b in reply["blocks"])


def test_theme_groups_quotes_with_counts_and_councils(tmp_path, leaders_answerer):
    """`/findings theme care leavers` counts reports and names councils, quoting only what the reports say."""
    reply = _reply(tmp_path, leaders_answerer, "theme care leavers")
    text = html.unescape(json.dumps(reply["blocks"], ensure_ascii=False))
    assert re.search(r"(raised as an area for improvement|noted as a strength) in \d+ of \d+ reports", text)
    everything = "\n".join(SOURCES.values())
    assert all(q in everything for q in _quotes(reply))


def test_judgements_table_lists_councils_with_the_grade(tmp_path, leaders_answerer):
    """`/findings judgements overall outstanding` lists Norfolk from its 2026 inspection."""
    reply = _reply(tmp_path, leaders_answerer, "judgements overall outstanding")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Norfolk" in text and "Outstanding" in text and "Liverpool" not in text


def test_summary_of_a_council_with_no_reports_is_one_clear_line(tmp_path, leaders_answerer):
    """A briefing asked for a council with no reports says so in one line, with nothing loosely related."""
    reply = _reply(tmp_path, leaders_answerer, "summary Surrey")
    assert reply["text"].startswith("I have no reports for Surrey") and _quotes(reply) == []


def test_summary_of_a_council_with_only_focused_visits_quotes_them(tmp_path, leaders_answerer):
    """Essex has no graded inspection: the briefing says so, then quotes its latest visit word for word."""
    reply = _reply(tmp_path, leaders_answerer, "summary Essex")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert "Briefing: Essex" in text and "No graded inspection in the reports I hold." in text
    essex = "\n".join(body for stem, body in SOURCES.items() if stem.startswith("essex"))
    assert _quotes(reply) and all(q in essex for q in _quotes(reply))


def test_a_briefing_asked_in_plain_words_in_a_channel_comes_in_the_thread_with_its_chart(tmp_path, leaders_answerer):
    """'@Findings brief me on Herefordshire' is the summary feature: the briefing in the thread, its chart beside it."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), leaders_answerer) as app:
        app.post_event(message_event(f"<@{BOT_USER}> brief me on Herefordshire", ts="70.000001", kind="app_mention"))
        [post] = fake.wait_for("chat.postMessage", timeout=60)
        fake.wait_for("files.completeUploadExternal", timeout=60)
        [upload] = fake.uploads()
    assert post["thread_ts"] == "70.000001" and "Briefing: Herefordshire" in json.dumps(post["blocks"])
    herefordshire = "\n".join(body for stem, body in SOURCES.items() if stem.startswith("herefordshire"))
    assert _quotes(post) and all(q in herefordshire for q in _quotes(post))
    assert upload["thread_ts"] == "70.000001" and "Herefordshire" in upload["alt_txt"]


def test_a_feature_without_block_kit_answers_in_its_plain_text(tmp_path, leaders_answerer, with_echo):
    """A feature module with no Slack renderer is still asked for on /findings and replies with its own text."""
    reply = _reply(tmp_path, leaders_answerer, "echo all the way down")
    assert reply["text"] == "ALL THE WAY DOWN"


def test_neighbours_on_one_judgement_quote_each_held_grade(tmp_path, leaders_answerer):
    """`/findings neighbours Lincolnshire care leavers` lists it and its ten, quoting each held grade's row, and
    sends the grid to the asker's DM."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), leaders_answerer) as app:
        app.post_command("neighbours Lincolnshire care leavers", fake.response_url("n"))
        [reply] = fake.wait_for("response_url", timeout=60)
        fake.wait_for("files.completeUploadExternal", timeout=60)
        [upload] = fake.uploads()
    assert upload["channel"] == "DU0ASKER"  # the reply is private, so its grid goes by DM
    assert upload["alt_txt"].startswith("Lincolnshire and its statistical neighbours")
    text = json.dumps(reply["blocks"], ensure_ascii=False)
    assert '"value": "neighbours:Lincolnshire"' in text  # its Word paper, on request
    assert "Lincolnshire and its statistical neighbours" in text and "*Lincolnshire* (asked): no reports held" in text
    everything = "\n".join(SOURCES.values())
    assert _quotes(reply) and all(q in everything for q in _quotes(reply))


def test_we_in_a_thread_means_the_council_the_thread_is_about(tmp_path, leaders_answerer):
    """In a DM thread about Herefordshire, 'how do we compare with our stat neighbours?' compares Herefordshire."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), leaders_answerer) as app:
        app.post_event(message_event("How is Herefordshire doing?", ts="80.000001", channel="D0DM",
                                     channel_type="im"))
        fake.wait_for("chat.postMessage", timeout=60)
        app.post_event(message_event("how do we compare with our stat neighbours?", ts="80.000002", channel="D0DM",
                                     channel_type="im", thread_ts="80.000001"))
        [_, reply] = fake.wait_for("chat.postMessage", 2, timeout=60)
    assert "Herefordshire and its statistical neighbours" in json.dumps(reply["blocks"])
    assert "*Herefordshire* (asked)" in json.dumps(reply["blocks"])


ANY_TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(st.characters(exclude_categories=()),
                                                                       max_size=20)), max_size=30).map("".join)
LONG = st.builds(lambda text, times: (text * times)[:5000], ANY_TEXT.filter(bool), st.integers(1, 500))


@settings(max_examples=60, deadline=None)
@given(ANY_TEXT, ANY_TEXT, st.lists(st.one_of(ANY_TEXT, LONG), max_size=12), st.lists(ANY_TEXT, max_size=6),
       ANY_TEXT, st.booleans())
def test_any_report_text_in_a_summary_is_inert_and_within_limits(name, title, texts, grades, url, graded):
    """Arbitrary council names, titles, grades, URLs and quotes give valid, inert summaries within Slack's limits."""
    report = Report("r", title, name, "ilacs_inspection", title, "2024-01-02", url, judgements={g: g for g in grades})
    leans = itertools.cycle((CONCERN, STRENGTH, "neutral"))
    quotes = [Quote(text, report, title, 0, len(text), next(leans)) for text in texts]
    briefing = Briefing(name, report if graded else None, [Judgement(g, g, None) for g in grades],
                        [report, report] if graded else [], quotes, quotes, quotes, report,
                        quotes[0] if quotes else None, quotes)
    rows = [JudgementRow(name, report, g, g, None) for g in grades] * 10
    for reply in (briefing_reply(briefing), theme_reply(Theme(name, 2020, quotes)),
                  judgements_reply(JudgementTable(title, name or None, rows))):
        assert slack_problems({"text": reply.text, "blocks": reply.blocks}) == []
