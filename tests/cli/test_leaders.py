"""Tests for the leaders' commands (`summary`, `theme`, `judgements`) through click's CliRunner."""

import json

from click.testing import CliRunner
from docx import Document

from bot.cli import main
from tests.cli.support import assert_verbatim, cli_env


def test_summary_prints_table_history_and_attributed_quotes(leaders_settings) -> None:
    """`summary` shows the latest grades, the history line, and each quote followed by its attribution."""
    result = CliRunner().invoke(main, ["summary", "Herefordshire"], env=cli_env(leaders_settings))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Overall effectiveness: Inadequate 2022 → Good 2026" in out
    assert "What needs to improve (2)" in out and "Latest focused visit" in out
    lines = out.splitlines()
    quotes = [i for i, line in enumerate(lines) if line.startswith("> “")]
    assert len(quotes) >= 8
    assert all(lines[i + 1].startswith("  — Ofsted · ") for i in quotes)


def test_summary_json_quotes_can_be_checked_word_for_word(leaders_settings) -> None:
    """`summary --json` gives every quoted item text, report id and section, each found at its offsets."""
    result = CliRunner().invoke(main, ["summary", "Liverpool", "--json"], env=cli_env(leaders_settings))
    payload = json.loads(result.stdout)
    assert payload["local_authority"] == "Liverpool"
    assert assert_verbatim(payload) >= 10


def test_summary_of_an_unknown_place_is_one_line(leaders_settings) -> None:
    """An LA with no reports fails with one line saying so, and no traceback."""
    result = CliRunner().invoke(main, ["summary", "Atlantis"], env=cli_env(leaders_settings))
    assert result.exit_code == 2
    assert result.stderr.startswith("findings: I have no reports for Atlantis.") and result.stderr.count("\n") == 1


def test_theme_json_has_counts_las_and_checkable_quotes(leaders_settings) -> None:
    """`theme --since --json` groups quotes into strengths and concerns with counts and the LAs named."""
    args = ["theme", "supervision", "--since", "2022", "--json"]
    result = CliRunner().invoke(main, args, env=cli_env(leaders_settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["since"] == 2022 and payload["reports"] >= 3
    assert payload["concerns"]["summary"].endswith("reports since 2022")
    assert payload["concerns"]["local_authorities"]
    assert assert_verbatim(payload) >= 3


def test_theme_text_leads_with_the_count_lines(leaders_settings) -> None:
    """Plain `theme` prints the count line for each group, then quotes with attribution."""
    result = CliRunner().invoke(main, ["theme", "supervision"], env=cli_env(leaders_settings))
    assert "Areas for improvement: raised as an area for improvement in" in result.stdout
    assert "Strengths: noted as a strength in" in result.stdout
    assert "  — Ofsted · " in result.stdout


def test_judgements_lists_las_with_a_grade(leaders_settings) -> None:
    """`judgements care leavers outstanding` lists Norfolk; `--json` rows carry report id and the printed label."""
    runner = CliRunner()
    text = runner.invoke(main, ["judgements", "care", "leavers", "outstanding"], env=cli_env(leaders_settings))
    assert text.exit_code == 0 and "Care leavers judged Outstanding: 1 local authority" in text.stdout
    assert "Norfolk" in text.stdout and "Liverpool" not in text.stdout
    rows = json.loads(runner.invoke(main, ["judgements", "--json"], env=cli_env(leaders_settings)).stdout)
    assert {r["local_authority"] for r in rows} == {"Liverpool", "Norfolk", "Herefordshire", "Barnsley"}
    assert assert_verbatim(rows) == 3  # Liverpool's 2026 report prints no overall effectiveness row to quote


def test_unknown_judgement_is_one_line(leaders_settings) -> None:
    """A judgement name the bot does not know fails in one line listing the ones it does."""
    result = CliRunner().invoke(main, ["judgements", "adoption"], env=cli_env(leaders_settings))
    assert result.exit_code == 2 and "try impact of leaders, help and protection" in result.stderr


def test_help_lists_the_leaders_commands() -> None:
    """`findings --help` lists inspect, summary, theme and judgements with their one-line help."""
    result = CliRunner().invoke(main, ["--help"])
    for name in ("inspect", "summary", "theme", "judgements"):
        assert f"  {name}" in result.stdout


def test_summary_writes_its_chart_and_paper_beside_the_usual_text(leaders_settings, tmp_path) -> None:
    """--chart and --docx write a PNG and a .docx, say so (with the alt text) on stderr, and leave stdout as it was."""
    env = cli_env(leaders_settings)
    plain = CliRunner().invoke(main, ["summary", "Herefordshire"], env=env)
    chart, paper = tmp_path / "h.png", tmp_path / "h.docx"
    result = CliRunner().invoke(main, ["summary", "Herefordshire", "--chart", str(chart), "--docx", str(paper)],
                                env=env)
    assert result.exit_code == 0 and result.stdout == plain.stdout
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert Document(str(paper)).paragraphs[0].text == "Briefing: Herefordshire"
    assert f"Wrote the chart to {chart}" in result.stderr and f"Wrote the briefing document to {paper}" in result.stderr
    assert "Alt text: Herefordshire: Ofsted judgements over time. Overall effectiveness: Inadequate (September " \
           "2022, standard ILACS inspection), Good (January 2026, standard ILACS inspection)." in result.stderr


def test_judgements_chart_compares_the_named_councils(leaders_settings, tmp_path) -> None:
    """`judgements care leavers --council A --council B --chart F` lists and charts only those two councils."""
    chart = tmp_path / "c.png"
    args = ["judgements", "care", "leavers", "--council", "Liverpool", "--council", "Norfolk", "--chart", str(chart)]
    result = CliRunner().invoke(main, args, env=cli_env(leaders_settings))
    assert result.exit_code == 0 and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    listed = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert sorted(listed) == ["Liverpool", "Norfolk"]
    assert "Alt text: Care leavers: Liverpool, Norfolk. Liverpool: Inadequate (May 2023, standard ILACS " \
           "inspection)" in result.stderr


def test_theme_exports_a_paper(leaders_settings, tmp_path) -> None:
    """`theme supervision --docx F` writes the theme's Word document."""
    paper = tmp_path / "t.docx"
    result = CliRunner().invoke(main, ["theme", "supervision", "--docx", str(paper)], env=cli_env(leaders_settings))
    assert result.exit_code == 0 and Document(str(paper)).paragraphs[0].text == "Theme: supervision"


def test_a_chart_that_cannot_be_written_is_one_line(leaders_settings, tmp_path) -> None:
    """A --chart path in a folder that does not exist fails with exit 2 and one line naming the file and why."""
    target = tmp_path / "missing" / "x.png"
    result = CliRunner().invoke(main, ["summary", "Liverpool", "--chart", str(target)], env=cli_env(leaders_settings))
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"cannot write the chart to {target}: No such file or directory" in result.stderr


def test_neighbours_lists_the_council_and_its_ten_with_quoted_grades(leaders_settings) -> None:
    """`neighbours Lincolnshire care leavers --json` gives eleven councils, the asked one first, each held grade with
    the report row that states it, word for word."""
    args = ["neighbours", "Lincolnshire", "care", "leavers", "--json"]
    result = CliRunner().invoke(main, args, env=cli_env(leaders_settings))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    rows = payload["councils"]
    assert len(rows) == 11 and rows[0]["local_authority"] == "Lincolnshire" and rows[0]["asked"]
    assert payload["judgements"] == ["The experiences and progress of care leavers"]
    quoted = [g["quote"] for row in rows for g in row["grades"].values() if g["quote"]]
    assert quoted and assert_verbatim(quoted) == len(quoted)
    text = CliRunner().invoke(main, ["neighbours", "Lincolnshire"], env=cli_env(leaders_settings)).stdout
    assert text.startswith("Lincolnshire and its statistical neighbours") and "* Lincolnshire: no reports held" in text


def test_neighbours_takes_a_judgement_option_and_writes_its_grid_and_paper(leaders_settings, tmp_path) -> None:
    """`--judgement`, `--chart` and `--docx` narrow the table to one judgement and write its grid and Word paper."""
    chart, paper = tmp_path / "n.png", tmp_path / "n.docx"
    args = ["neighbours", "Lincolnshire", "--judgement", "care leavers", "--chart", str(chart), "--docx", str(paper),
            "--json"]
    result = CliRunner().invoke(main, args, env=cli_env(leaders_settings))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["judgements"] == ["The experiences and progress of care leavers"]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and "Alt text: Lincolnshire and its" in result.stderr
    doc = Document(str(paper))
    assert doc.paragraphs[0].text == "Lincolnshire and its statistical neighbours" and len(doc.inline_shapes) == 1
