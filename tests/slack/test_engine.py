"""End to end with the real answer engine: a small knowledge base, the real HTTP server, the fake Web API."""

import json

import pytest

from tests.slack_fake import BOT_USER, make_settings, message_event, running_fake, running_http
from tests.slack_kb import attributions, quotes, sources

SOURCES = "\n".join(sources().values())


def test_real_engine_answers_in_a_thread_and_keeps_the_council_for_follow_ups(tmp_path, engine):
    """A Dorset question gets verbatim Dorset quotes in a thread; 'and supervision?' in that thread stays on Dorset."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as app:
        question = f"<@{BOT_USER}> What did Ofsted say about care leavers in Dorset?"
        app.post_event(message_event(question, ts="40.000001", kind="app_mention"))
        [first] = fake.wait_for("chat.postMessage", timeout=30)
        app.post_event(message_event("and supervision?", ts="40.000002", thread_ts="40.000001"))
        second = fake.wait_for("chat.postMessage", 2, timeout=30)[1]
    assert first["thread_ts"] == second["thread_ts"] == "40.000001"
    assert first["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]
    assert second["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]
    for post in (first, second):
        found, lines = quotes(post), attributions(post)
        assert found and len(found) == len(lines)
        assert all(quote in SOURCES for quote in found)  # verbatim, cut from the reports
        assert all(" · Dorset · " in line and line.startswith("— Ofsted") for line in lines)
        assert "Looking at: Dorset" in json.dumps(post["blocks"])
    link = "<https://files.ofsted.gov.uk/v1/file/50276411|open the report>"
    assert link in json.dumps(first["blocks"] + second["blocks"])


def test_a_grades_question_in_slack_gets_the_history_with_each_grade_quoted(tmp_path, engine):
    """'How was Dorset graded?' by mention is answered by the grades route: history line, verbatim rows."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as app:
        app.post_event(message_event(f"<@{BOT_USER}> how was Dorset graded at its last inspection?", ts="41.000001",
                                     kind="app_mention"))
        [post] = fake.wait_for("chat.postMessage", timeout=30)
    summary = post["blocks"][0]["text"]["text"]
    assert "Dorset" in summary and "Overall effectiveness" in summary
    found = quotes(post)
    assert found and all(quote in SOURCES for quote in found)
    assert any("|" in quote for quote in found)  # the judgement table's own rows


def _ask_in_thread(tmp_path, engine, questions: list[str]) -> list[dict]:
    """Post the first question as a mention and the rest as replies in its thread; the bot's posts, in order."""
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as app:
        for n, question in enumerate(questions):
            text = f"<@{BOT_USER}> {question}" if n == 0 else question
            app.post_event(message_event(text, ts=f"50.00000{n + 1}", kind="app_mention" if n == 0 else "message",
                                         thread_ts="" if n == 0 else "50.000001"))
            fake.wait_for("chat.postMessage", n + 1, timeout=30)
        return fake.bodies("chat.postMessage")


@pytest.mark.parametrize(("question", "route", "expect"), [
    ("which councils are outstanding?", "grades_list", "Dorset (short ILACS inspection 2025"),
    ("what does Dorset still need to work on?", "improvement", "Dorset"),
    ("who was the lead inspector for Dorset in 2025?", "facts", "Sarah Canto"),
    ("what reports do you hold on Essex?", "facts", "focused visit"),
])
def test_every_structured_route_answers_by_mention_with_verbatim_attributedquotes(tmp_path, engine, question,
                                                                                    route, expect):
    """Each route's answer reaches Slack as a summary plus verbatim, attributed quotes, its route recorded."""
    [post] = _ask_in_thread(tmp_path, engine, [question])
    assert expect in post["blocks"][0]["text"]["text"]
    assert post["metadata"]["event_payload"]["route"] == route
    found, lines = quotes(post), attributions(post)
    assert found and len(found) == len(lines) and all(quote in SOURCES for quote in found)


def test_a_topic_essexs_visits_did_not_cover_is_refused_saying_what_they_covered(tmp_path, engine):
    """'How is the MASH in Essex?' is refused with the one visit held and its focus, and no quotes."""
    [post] = _ask_in_thread(tmp_path, engine, ["how is the MASH in Essex?"])
    text = json.dumps(post["blocks"])
    assert "couldn't find" in text and "focused visit" in text and "Essex" in text
    assert not quotes(post)


def test_an_elliptical_follow_up_keeps_the_grades_route_and_the_council(tmp_path, engine):
    """After 'how was Dorset graded?', 'and for care leavers?' in the thread gives Dorset's care-leaver grade."""
    first, second = _ask_in_thread(tmp_path, engine, ["how was Dorset graded?", "and for care leavers?"])
    assert first["metadata"]["event_payload"]["route"] == second["metadata"]["event_payload"]["route"] == "grades"
    assert second["metadata"]["event_payload"]["local_authorities"] == ["Dorset"]
    assert "care leavers" in second["blocks"][0]["text"]["text"].lower()
    assert any("care leavers" in quote.lower() and "|" in quote for quote in quotes(second))
