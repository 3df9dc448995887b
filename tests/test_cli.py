"""Tests for the `findings` command line, run through click's CliRunner against real components."""

import json

from click.testing import CliRunner

from bot.cli import main


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
