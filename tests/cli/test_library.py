"""`findings ingest`, `sources` and `inspect`: the knowledge base's commands, run as a user runs them."""

import json

from click.testing import CliRunner

from bot.cli import main
from tests.cli.support import assert_verbatim, cli_env
from tests.conftest import KNOWLEDGE


def test_ingest_json_prints_exactly_one_object(settings, small_knowledge):
    """`ingest --json` prints one JSON object with the documented keys and exits 0 when nothing failed."""
    result = CliRunner().invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) == {"added", "updated", "unchanged", "removed", "failed", "chunks", "seconds"}
    assert payload["added"] == 3 and payload["chunks"] > 0


def test_failed_file_sets_exit_code_and_is_named(settings, small_knowledge):
    """A bad file makes ingest exit non-zero, naming the file and the reason, with no traceback."""
    (small_knowledge / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    result = CliRunner().invoke(main, ["ingest", str(small_knowledge)], env=cli_env(settings))
    assert result.exit_code == 1
    assert "broken.pdf" in result.stderr and "not a readable PDF" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "added 3" in result.stdout


def test_sources_json_lists_reports_with_grades(settings, small_knowledge):
    """`sources --json` lists each stored report with its attribution and chunk count."""
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=cli_env(settings))
    result = runner.invoke(main, ["sources", "--json"], env=cli_env(settings))
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == {p.stem for p in small_knowledge.glob("*.md")}
    for row in rows:
        assert {"id", "title", "local_authority", "report_type", "published", "url", "chunks"} <= set(row)
        assert row["chunks"] > 0


def test_inspect_json_prints_one_object_per_file_and_stores_nothing(settings) -> None:
    """`inspect --json` prints a JSON line per file with the documented keys, and no knowledge base is created."""
    names = ("liverpool-ilacs-2026-07-07", "calderdale-focused-visit-2025-05-20")
    paths = [str(KNOWLEDGE / f"{name}.md") for name in names]
    result = CliRunner().invoke(main, ["inspect", *paths, "--json"], env=cli_env(settings))
    assert result.exit_code == 0, result.output
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(objects) == 2
    for payload in objects:
        assert {"path", "title", "local_authority", "report_type", "published", "judgements"} <= set(payload)
    by_id = {o["id"]: o for o in objects}
    liverpool = by_id["liverpool-ilacs-2026-07-07"]
    assert liverpool["judgements"]["The experiences and progress of care leavers"] == "Requires improvement to be good"
    assert "Overall effectiveness" not in liverpool["judgements"] and len(liverpool["improvements"]) == 4
    assert by_id["calderdale-focused-visit-2025-05-20"]["focus"]["text"].startswith("Inspectors looked at")
    assert assert_verbatim(objects) >= 10
    assert not settings.chroma_path.exists()


def test_inspect_names_a_missing_file_and_still_prints_the_rest(settings) -> None:
    """A missing path fails with exit 1 and its name on stderr; the readable file is still shown."""
    result = CliRunner().invoke(
        main, ["inspect", "no-such-report.md", str(KNOWLEDGE / "barnsley-ilacs-2018-11-19.md")], env=cli_env(settings))
    assert result.exit_code == 1
    assert "no-such-report.md: no such file or folder" in result.stderr
    assert "Impact of leaders Good" in result.stdout and "what needs to improve: 4 item(s)" in result.stdout
