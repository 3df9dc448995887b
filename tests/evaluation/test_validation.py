"""Tests for validating labelled questions against the reports they quote."""

import subprocess
import sys

from bot.evaluation.questions import Gold, Question, load_questions
from bot.evaluation.validation import ReportInfo, check_question, check_questions, coverage, longest_shared_run
from tests.conftest import DEV_SET, KNOWLEDGE, REPO

TEXT = "Leaders have introduced a new role of ‘neglect champion’. Supervision is regular and reflective in most teams."
REPORTS = {"la-fv": ReportInfo(TEXT, "Salford", "focused_visit"), "lb-fv": ReportInfo(TEXT, "Bury", "focused_visit")}


def _question(quote: str, question: str = "did salford set up a dedicated post to drive work on neglect?",
              kind: str = "la_specific", reports=("la-fv",), theme: str = "") -> Question:
    return Question("q1", question, True, kind, tuple(Gold(r, quote) for r in reports), theme)


def test_a_sound_question_has_no_problems():
    """A paraphrased question whose gold sentence is in its report passes."""
    assert check_question(_question("Supervision is regular and reflective in most teams."), REPORTS.get) == []


def test_gold_not_character_for_character_is_caught():
    """A retyped quote with a straight apostrophe where the report has a curly one is reported."""
    problems = check_question(_question("Leaders have introduced a new role of 'neglect champion'."), REPORTS.get)
    assert any("character for character" in p for p in problems)


def test_copied_wording_and_unscoreable_gold_are_caught():
    """A question copying six words of its quote, or gold too short ever to be matched, is reported."""
    copied = _question("Supervision is regular and reflective in most teams.",
                       question="is supervision regular and reflective in most teams in salford?")
    assert any("repeats" in p for p in check_question(copied, REPORTS.get))
    short = Question("q2", "salford role?", True, "la_specific", (Gold("la-fv", "Leaders have introduced"),))
    assert any("scoring words" in p for p in check_question(short, REPORTS.get))
    assert longest_shared_run("a b c d", "x b c d y") == 3


def test_thematic_questions_need_two_reports_and_a_theme():
    """A thematic question quoting one report, with no theme, gets both problems."""
    problems = check_question(_question("Supervision is regular and reflective in most teams.", kind="thematic"),
                              REPORTS.get)
    assert any("two reports" in p for p in problems) and any("theme" in p for p in problems)
    ok = _question("Supervision is regular and reflective in most teams.", kind="thematic",
                   reports=("la-fv", "lb-fv"), theme="supervision")
    assert check_question(ok, REPORTS.get) == []


def test_repeated_questions_and_coverage_are_counted():
    """The same question twice is reported, and coverage counts kinds, councils and report types."""
    q = _question("Supervision is regular and reflective in most teams.")
    assert "q1" in check_questions([q, q], REPORTS.get)
    spread = coverage([q], REPORTS.get)
    assert spread.kinds["la_specific"] == 1 and spread.councils["Salford"] == 1


def test_shipped_question_files_load_and_dev_validates_against_the_knowledge_base():
    """Every eval file parses; `findings validate` passes dev.jsonl against the shipped reports."""
    for name in ("dev.jsonl", "national-dev.jsonl", "labelled.jsonl"):
        assert load_questions(REPO / "eval" / name)
    assert len(load_questions(REPO / "eval" / "labelled.jsonl")) >= 250
    result = subprocess.run([sys.executable, "-m", "bot", "validate", str(DEV_SET), "--reports", str(KNOWLEDGE)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "70 questions" in result.stdout
