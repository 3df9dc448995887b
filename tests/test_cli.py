"""Tests for the `findings` command line, run through click's CliRunner against real components."""

import json
import shutil

from click.testing import CliRunner

from bot.cli import main
from tests.conftest import KNOWLEDGE


def _env(settings, **extra) -> dict[str, str]:
    return {"CHROMA_PATH": str(settings.chroma_path), "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING", **extra}


def test_ingest_json_prints_exactly_one_object(settings, small_knowledge):
    """`ingest --json` prints one JSON object with the documented keys and exits 0 when nothing failed."""
    result = CliRunner().invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"}
    assert payload["added"] == 3 and payload["chunks"] > 0


def test_failed_file_sets_exit_code_and_is_named(settings, small_knowledge):
    """A bad file makes ingest exit non-zero, naming the file and the reason, with no traceback."""
    (small_knowledge / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    result = CliRunner().invoke(main, ["ingest", str(small_knowledge)], env=_env(settings))
    assert result.exit_code == 1
    assert "broken.pdf" in result.stderr and "not a readable PDF" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "added 3" in result.stdout


def test_sources_json_lists_reports_with_grades(settings, small_knowledge):
    """`sources --json` lists each stored report with its attribution and chunk count."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    result = runner.invoke(main, ["sources", "--json"], env=_env(settings))
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == {p.stem for p in small_knowledge.glob("*.md")}
    for row in rows:
        assert {"id", "title", "local_authority", "report_type", "published", "url", "chunks"} <= set(row)
        assert row["chunks"] > 0


def test_broken_model_setting_is_one_line_not_a_traceback(settings, tmp_path):
    """A wrong EMBEDDING_MODEL fails with one line that says how to fix it."""
    result = CliRunner().invoke(main, ["ingest", "--json"], env=_env(settings, EMBEDDING_MODEL=str(tmp_path)))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "model.onnx is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_value_is_named(settings):
    """An invalid setting value stops the CLI with a message naming the setting."""
    result = CliRunner().invoke(main, ["sources"], env=_env(settings, LOG_FORMAT="xml"))
    assert result.exit_code == 2 and "log_format" in result.stderr


def test_bad_redis_url_is_one_line_that_never_shows_the_value(settings):
    """A REDIS_URL that is not a Redis URL stops the CLI in one line naming it, without echoing the secret."""
    result = CliRunner().invoke(main, ["sources"], env=_env(settings, REDIS_URL="pw-hunter2@cache:6379"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "redis_url" in result.stderr and "Redis URL" in result.stderr and "hunter2" not in result.stderr


def test_ask_json_has_the_documented_shape(settings, small_knowledge):
    """`ask --json` prints answered, reason, route and excerpts with text, report attribution, section and score."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    result = runner.invoke(main, ["ask", "how are care leavers supported in Essex?", "--json"], env=_env(settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"answered", "reason", "route", "excerpts"} and payload["answered"]
    for excerpt in payload["excerpts"]:
        assert set(excerpt) == {"text", "report", "section", "score"}
        assert set(excerpt["report"]) == {"id", "title", "local_authority", "type", "publisher", "published", "url"}
        assert excerpt["report"]["local_authority"] == "Essex"


def test_ask_json_names_each_route_and_every_route_quotes_its_source(settings, small_knowledge):
    """Grades, history, improvement, facts and quotes questions each take their route, with verbatim excerpts."""
    shutil.copy(KNOWLEDGE / "dorset-ilacs-2025-05-09.md", small_knowledge)  # one graded inspection
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    sources = "\n".join(path.read_text(encoding="utf-8") for path in small_knowledge.glob("*.md"))
    for question, route in [("which councils are outstanding?", "grades_list"), ("how was Dorset graded?", "grades"),
                            ("what were Dorset told to fix?", "improvement"),
                            ("who led the Dorset inspection in 2025?", "facts"),
                            ("how are care leavers supported in Essex?", "quotes")]:
        result = runner.invoke(main, ["ask", question, "--json"], env=_env(settings))
        payload = json.loads(result.stdout)
        assert result.exit_code == 0 and payload["route"] == route and payload["answered"], (question, payload)
        assert payload["excerpts"] and all(e["text"] in sources for e in payload["excerpts"])


def test_ask_prints_quotes_with_attribution(settings, small_knowledge):
    """Plain `ask` prints a summary line, then each quote followed by publisher · title · LA · date · section."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    result = runner.invoke(main, ["ask", "care leavers", "--la", "Essex"], env=_env(settings))
    lines = result.stdout.splitlines()
    assert "excerpt" in lines[0]
    assert any(line.startswith("> “") for line in lines)
    assert any(line.strip().startswith("— Ofsted · Focused visit to Essex") for line in lines)


def test_ask_filters_refuse_what_is_not_held(settings, small_knowledge):
    """`--la` naming a council with no reports gets the refusal, not excerpts from elsewhere."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    result = runner.invoke(main, ["ask", "care leavers", "--la", "Surrey", "--json"], env=_env(settings))
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
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=_env(settings))
    out = tmp_path / "results.jsonl"
    result = runner.invoke(main, ["eval", str(questions), "--out", str(out)], env=_env(settings))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["q1", "q2"]
    assert set(rows[0]) == {"id", "answered", "excerpts", "latency_ms"} and rows[1]["answered"] is False
    for name in ("hit@1", "hit@5", "MRR@10", "abstain correct", "false abstention", "verbatim", "p95"):
        assert name in result.stdout
