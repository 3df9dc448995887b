"""Charts and papers in Slack, end to end: real engine, real signed HTTP, the fake Web API recording the files."""

import io
import json
from dataclasses import replace

import pytest
from docx import Document
from PIL import Image
from structlog.testing import capture_logs

from bot.answer import Answer, Excerpt
from bot.leaders.document import QUOTE_STYLE
from bot.leaders.history import council_history
from bot.slack.blocks import DOWNLOAD
from bot.slack.charts import answer_chart
from bot.slack.wording import PAPER_SENT
from tests.slack_fake import BOT_USER, action_payload, make_settings, message_event, running_fake, running_http
from tests.slack_kb import sources

SOURCES = "\n".join(sources().values())


@pytest.fixture
def app(tmp_path, engine):
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        yield harness


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _download_button(reply: dict) -> dict:
    [button] = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == DOWNLOAD]
    return button


def test_a_grades_answer_in_a_thread_gets_its_chart_in_that_thread(app):
    """'How was Dorset graded?' is answered in a thread, then Dorset's judgement chart is uploaded into that thread,
    with alt text listing every grade; the bytes are a PNG of the recorded length."""
    app.post_event(message_event(f"<@{BOT_USER}> how was Dorset graded?", ts="60.000001", kind="app_mention"))
    [post] = app.slack.wait_for("chat.postMessage", timeout=30)
    app.slack.wait_for("files.completeUploadExternal", timeout=30)
    [upload] = app.slack.uploads()
    assert post["metadata"]["event_payload"]["route"] == "grades"
    assert (upload["channel"], upload["thread_ts"]) == ("C0TEAM", "60.000001")
    history = council_history(app.answerer.knowledge, "Dorset")
    assert upload["alt_txt"] == history.alt_text()
    assert "Outstanding (May 2025, short ILACS inspection)" in upload["alt_txt"]
    assert upload["filename"].endswith(".png") and upload["title"] == history.title
    assert len(upload["data"]) == upload["length"] and _png(upload["data"]).format == "PNG"


def test_which_chart_an_answer_gets(engine):
    """One council's grades get its history; two to eight councils a comparison on the area asked; quotes, refusals
    and lists longer than a chart can hold get none."""
    knowledge = engine.knowledge
    dorset = next(r for r in knowledge.reports.values() if r.local_authority == "Dorset")
    essex = next(r for r in knowledge.reports.values() if r.local_authority == "Essex")

    def answer(route: str, *reports, answered: bool = True) -> Answer:
        return Answer(answered, "", [Excerpt("x", r, "", 1.0, 0, 1) for r in reports], route=route)

    assert answer_chart(answer("grades", dorset), "how was Dorset graded?", knowledge).title.startswith("Dorset:")
    compared = answer_chart(answer("grades_list", dorset, essex), "which are good for care leavers?", knowledge)
    assert compared.lines == ("Dorset", "Essex") and compared.title.startswith("Care leavers:")
    assert answer_chart(answer("quotes", dorset), "supervision in Dorset", knowledge) is None
    assert answer_chart(answer("grades", dorset, answered=False), "how was Dorset graded?", knowledge) is None
    many = [replace(dorset, local_authority=f"Council {i}") for i in range(9)]
    assert answer_chart(answer("grades_list", *many), "which are good?", knowledge) is None


def test_the_same_chart_asked_twice_is_the_same_file(app):
    """Two grades questions about Dorset get two uploads of identical bytes (the second from the chart cache)."""
    for n, text in enumerate(("how was Dorset graded?", "what grades did Dorset get?")):
        app.post_event(message_event(f"<@{BOT_USER}> {text}", ts=f"64.00000{n + 1}", kind="app_mention"))
        app.slack.wait_for("files.completeUploadExternal", n + 1, timeout=30)
    first, second = app.slack.uploads()
    assert first["data"] == second["data"] and first["thread_ts"] != second["thread_ts"]


def test_a_quotes_answer_gets_no_chart(app):
    """An answer that is not about grades uploads nothing."""
    app.post_event(message_event(f"<@{BOT_USER}> what about supervision in Dorset?", ts="61.000001",
                                 kind="app_mention"))
    app.slack.wait_for("chat.postMessage", timeout=30)
    app.slack.settle(0.5)
    assert app.slack.uploads() == []


def test_summary_is_private_with_its_chart_in_the_dm_and_a_word_button(app):
    """/findings summary Dorset replies ephemerally with a Download as Word button and puts the chart in the
    asker's DM, never in the channel."""
    app.post_command("summary Dorset", app.slack.response_url("s"))
    [reply] = app.slack.wait_for("response_url", timeout=30)
    app.slack.wait_for("files.completeUploadExternal", timeout=30)
    assert reply["response_type"] == "ephemeral" and _download_button(reply)["value"] == "summary:Dorset"
    [opened] = app.slack.bodies("conversations.open")
    [upload] = app.slack.uploads()
    assert opened["users"] == "U0ASKER" and upload["channel"] == "DU0ASKER" and not upload["thread_ts"]
    assert _png(upload["data"]).size[0] > 500 and "Dorset" in upload["alt_txt"]


def test_a_short_judgements_table_gets_a_comparison_chart_in_the_dm(app):
    """/findings judgements care leavers lists the councils graded for it and charts their histories privately."""
    app.post_command("judgements care leavers", app.slack.response_url("j"))
    [reply] = app.slack.wait_for("response_url", timeout=30)
    app.slack.wait_for("files.completeUploadExternal", timeout=30)
    [upload] = app.slack.uploads()
    assert reply["response_type"] == "ephemeral" and upload["channel"] == "DU0ASKER"
    assert upload["alt_txt"].startswith("Care leavers: Dorset.")
    assert "Dorset: Good (May 2025, short ILACS inspection)." in upload["alt_txt"]


def test_download_as_word_sends_the_briefing_privately_every_quote_verbatim(app):
    """Clicking Download as Word puts a .docx in the clicker's DM, tells them so privately, and every quote in the
    document is in the reports word for word; the paper has its comparison with statistical neighbours."""
    app.post_action(action_payload(DOWNLOAD, "summary:Dorset", app.slack.response_url("d"), user="U0ASKER"))
    [told] = app.slack.wait_for("response_url", timeout=30)
    app.slack.wait_for("files.completeUploadExternal", timeout=30)
    [upload] = app.slack.uploads()
    assert told["text"] == PAPER_SENT and told["response_type"] == "ephemeral"
    assert upload["channel"] == "DU0ASKER" and upload["filename"].startswith("Briefing Dorset")
    assert upload["filename"].endswith(".docx") and len(upload["data"]) == upload["length"]
    doc = Document(io.BytesIO(upload["data"]))
    quotes = [p.text for p in doc.paragraphs if p.style.name == QUOTE_STYLE]
    assert doc.paragraphs[0].text == "Briefing: Dorset" and quotes
    assert all(q.startswith("“") and q.endswith("”") and q[1:-1] in SOURCES for q in quotes)
    assert len(doc.inline_shapes) == 2  # the history chart and the grid of Dorset beside its statistical neighbours
    assert "Compared with statistical neighbours" in [p.text for p in doc.paragraphs]


def test_a_theme_can_be_downloaded_the_same_way(app):
    """/findings theme supervision carries a Download as Word button whose click sends the theme's paper."""
    app.post_command("theme supervision", app.slack.response_url("t"))
    [reply] = app.slack.wait_for("response_url", timeout=30)
    value = _download_button(reply)["value"]
    assert value == "theme:supervision"
    app.post_action(action_payload(DOWNLOAD, value, app.slack.response_url("td"), user="U0ASKER"))
    app.slack.wait_for("files.completeUploadExternal", timeout=30)
    [upload] = app.slack.uploads()
    doc = Document(io.BytesIO(upload["data"]))
    assert doc.paragraphs[0].text == "Theme: supervision"
    assert all(p.text[1:-1] in SOURCES for p in doc.paragraphs if p.style.name == QUOTE_STYLE)


def test_a_button_for_a_council_not_held_is_refused_in_one_line(app):
    """A download value naming a place with no reports (or not ours at all) gets one private line and no file, and
    the log line names the kind of paper, never the text the button carried."""
    with capture_logs() as logs:
        app.post_action(action_payload(DOWNLOAD, "summary:Atlantis", app.slack.response_url("a"), user="U0ASKER"))
        app.post_action(action_payload(DOWNLOAD, "<!channel>", app.slack.response_url("b"), user="U0ASKER"))
        replies = {r["_url"]: r["text"] for r in app.slack.wait_for("response_url", 2, timeout=30)}
        app.slack.settle(0.2)
    assert "Atlantis" in replies["/response/a"] and "not one I made" in replies["/response/b"]
    assert app.slack.uploads() == []
    lines = [entry for entry in logs if entry["event"] == "slack.download"]
    assert sorted(line["kind"] for line in lines) == ["summary", "unknown"]
    assert all(line["outcome"] == "refused" for line in lines) and "Atlantis" not in repr(logs)
    assert "channel" not in repr(lines)


def test_a_failed_upload_leaves_the_answer_and_logs_by_type(app):
    """If Slack refuses the chart, the answer is still in its thread and one slack.upload line records the error."""
    app.slack.errors[("files.completeUploadExternal", "*")] = "not_in_channel"
    with capture_logs() as logs:
        app.post_event(message_event(f"<@{BOT_USER}> how was Dorset graded?", ts="62.000001", kind="app_mention"))
        [post] = app.slack.wait_for("chat.postMessage", timeout=30)
        app.slack.wait_for("files.completeUploadExternal", timeout=30)
        app.slack.settle(0.3)
    assert post["thread_ts"] == "62.000001" and len(app.slack.bodies("chat.postMessage")) == 1
    [line] = [entry for entry in logs if entry["event"] == "slack.upload"]
    assert line["outcome"] == "error" and line["error"] == "SlackApiError"
    assert "Dorset" not in json.dumps(line)


def test_without_dms_nothing_private_is_sent_but_threads_still_get_charts(tmp_path, engine):
    """When SLACK_ALLOWED_CHANNELS leaves out dm, no DM is opened: the summary comes without its chart, Download as
    Word says why in one line, and a grades answer in an allowed channel still gets its chart in the thread."""
    settings = make_settings(tmp_path, slack_allowed_channels="C0TEAM")
    with running_fake() as fake, running_http(fake, settings, engine) as app:
        app.post_command("summary Dorset", fake.response_url("s"))
        fake.wait_for("response_url", timeout=30)
        app.post_action(action_payload(DOWNLOAD, "summary:Dorset", fake.response_url("d"), user="U0ASKER"))
        told = next(r for r in fake.wait_for("response_url", 2, timeout=30) if r["_url"] == "/response/d")
        app.post_event(message_event(f"<@{BOT_USER}> how was Dorset graded?", ts="63.000001", kind="app_mention"))
        fake.wait_for("files.completeUploadExternal", timeout=30)
        fake.settle(0.3)
    assert "not enabled in direct messages" in told["text"]
    assert fake.bodies("conversations.open") == []
    assert [(u["channel"], u["thread_ts"]) for u in fake.uploads()] == [("C0TEAM", "63.000001")]
