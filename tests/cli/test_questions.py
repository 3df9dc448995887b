"""`findings ask` and `eval`: answers and figures printed as documented, run on a real store."""

import json
import shutil

from click.testing import CliRunner

from bot.cli import main
from tests.cli.support import cli_env
from tests.conftest import KNOWLEDGE


def test_ask_json_has_the_documented_shape(settings, small_knowledge):
    """`ask --json` prints answered, reason, route and excerpts with text, label (the year and kind in an answer about
    change, else empty), report attribution, section and score."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    result = runner.invoke(main, ["ask", "how are care leavers supported in Essex?", "--json"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"answered", "reason", "route", "excerpts"} and payload["answered"]
    for excerpt in payload["excerpts"]:
        assert set(excerpt) == {"text", "label", "report", "section", "score"}
        assert excerpt["label"] == ""  # not a question about change
        assert set(excerpt["report"]) == {"id", "title", "local_authority", "type", "publisher", "published", "url"}
        assert excerpt["report"]["local_authority"] == "Essex"


def test_ask_json_names_each_route_and_every_route_quotes_its_source(settings, small_knowledge):
    """Grades, history, improvement, facts and quotes questions each take their route, with verbatim excerpts."""
    shutil.copy(KNOWLEDGE / "dorset-ilacs-2025-05-09.md", small_knowledge)  # one graded inspection
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    sources = "\n".join(path.read_text(encoding="utf-8") for path in small_knowledge.glob("*.md"))
    for question, route in [("which councils are outstanding?", "grades_list"), ("how was Dorset graded?", "grades"),
                            ("what were Dorset told to fix?", "improvement"),
                            ("who led the Dorset inspection in 2025?", "facts"),
                            ("how are care leavers supported in Essex?", "quotes")]:
        result = runner.invoke(main, ["ask", question, "--json"], env=cli_env(settings))
        payload = json.loads(result.stdout)
        assert result.exit_code == 0 and payload["route"] == route and payload["answered"], (question, payload)
        assert payload["excerpts"] and all(e["text"] in sources for e in payload["excerpts"])


def test_ask_prints_quotes_with_attribution(settings, small_knowledge):
    """Plain `ask` prints a summary line, then each quote followed by publisher · title · LA · date · section."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    result = runner.invoke(main, ["ask", "care leavers", "--la", "Essex"], env=cli_env(settings))
    lines = result.stdout.splitlines()
    assert "excerpt" in lines[0]
    assert any(line.startswith("> “") for line in lines)
    assert any(line.strip().startswith("— Ofsted · Focused visit to Essex") for line in lines)


def test_ask_filters_refuse_what_is_not_held(settings, small_knowledge):
    """`--la` naming a council with no reports gets the refusal, not excerpts from elsewhere."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    result = runner.invoke(main, ["ask", "care leavers", "--la", "Surrey", "--json"], env=cli_env(settings))
    payload = json.loads(result.stdout)
    assert payload["answered"] is False and payload["excerpts"] == [] and "Surrey" in payload["reason"]


def test_eval_writes_one_line_per_question_and_prints_metrics(settings, small_knowledge, tmp_path):
    """`eval` runs each question through the answer path, writes result lines and prints the figures."""
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "q1", "question": "Essex care leavers aged 18 to 25 - what did inspectors find?",
                    "answerable": True, "kind": "la_specific",
                    "gold": [{"report": "essex-focused-visit-2021-11-22", "quote": "x y z"}]}) + "\n"
        + json.dumps({"id": "q2", "question": "what did ofsted say about Surrey?", "answerable": False,
                      "kind": "unanswerable", "gold": []}) + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    out = tmp_path / "results.jsonl"
    result = runner.invoke(main, ["eval", str(questions), "--out", str(out)], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2"]
    assert set(rows[0]) == {"id", "answered", "route", "reason", "excerpts", "latency_ms"}
    assert rows[1]["answered"] is False
    for name in ("hit@1", "hit@5", "MRR@10", "abstain correct", "false abstention", "verbatim", "p95"):
        assert name in result.stdout
