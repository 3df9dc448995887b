"""Tests for the vote store and `findings feedback export`."""

import json

import pytest
from click.testing import CliRunner

from bot.answer import Answer, Excerpt
from bot.cli import main
from bot.privacy import digest
from bot.report import Report
from bot.state.feedback import FeedbackStore, answer_record

REPORT = Report("dorset-ilacs-2025-05-09", "Inspection of Dorset", "Dorset", "ilacs_inspection", "Ofsted", "2025-05-09")
QUESTION = "How is supervision in Dorset?"


def _answer() -> Answer:
    excerpts = [Excerpt("Supervision is regular.", REPORT, "Leadership", 0.8, 10, 33, "dorset:abc:1"),
                Excerpt("Managers are visible.", REPORT, "Leadership", 0.7, 50, 71, "dorset:abc:2")]
    return Answer(True, "2 excerpts from 1 report", excerpts)


def test_export_has_hashes_and_excerpt_ids_but_never_the_question(tmp_path):
    """A vote exports with the hashed question, each excerpt's chunk, report and offsets, hashed user, vote and time."""
    store = FeedbackStore(tmp_path / "deep" / "feedback.sqlite3")
    store.remember(answer_record("a1", QUESTION, _answer()))
    assert store.vote("a1", digest("U1"), "up") is None
    [row] = list(store.export())
    assert row["question_hash"] == digest(QUESTION) and row["user_hash"] == digest("U1")
    assert row["vote"] == "up" and row["answered"] is True and row["voted_at"][:2] == "20"
    assert row["excerpts"] == [
        {"chunk_id": "dorset:abc:1", "report": "dorset-ilacs-2025-05-09", "start": 10, "end": 33},
        {"chunk_id": "dorset:abc:2", "report": "dorset-ilacs-2025-05-09", "start": 50, "end": 71},
    ]
    raw = (tmp_path / "deep" / "feedback.sqlite3").read_bytes()
    assert b"supervision in Dorset" not in raw and b"U1" not in raw


def test_a_second_vote_replaces_the_first(tmp_path):
    """Changing a vote keeps one row per user and answer, and reports the earlier vote."""
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.remember(answer_record("a1", QUESTION, _answer()))
    store.vote("a1", "user-hash", "up")
    assert store.vote("a1", "user-hash", "down") == "up"
    store.vote("a1", "other-hash", "up")
    assert [(r["user_hash"], r["vote"]) for r in store.export()] == [("user-hash", "down"), ("other-hash", "up")]


def test_vote_on_an_unknown_answer_is_kept(tmp_path):
    """A vote whose answer was never recorded is still exported, with no question hash."""
    store = FeedbackStore(tmp_path / "f.sqlite3")
    store.vote("ghost", "user-hash", "down")
    [row] = list(store.export())
    assert row["question_hash"] is None and row["excerpts"] == [] and row["vote"] == "down"


def test_only_up_and_down_are_votes(tmp_path):
    """Anything other than 'up' or 'down' is refused."""
    with pytest.raises(ValueError, match="vote"):
        FeedbackStore(tmp_path / "f.sqlite3").vote("a1", "u", "sideways")


def test_cli_exports_jsonl_to_stdout_and_to_a_file(tmp_path):
    """`findings feedback export` prints one JSON object per vote, or writes them with --out."""
    path = tmp_path / "f.sqlite3"
    store = FeedbackStore(path)
    store.remember(answer_record("a1", QUESTION, _answer()))
    store.vote("a1", "u1", "up")
    store.vote("a1", "u2", "down")
    env = {"FEEDBACK_PATH": str(path), "LOG_FORMAT": "json"}
    result = CliRunner().invoke(main, ["feedback", "export"], env=env)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["vote"] for r in rows] == ["up", "down"] and rows[0]["answer_id"] == "a1"
    out = tmp_path / "votes.jsonl"
    result = CliRunner().invoke(main, ["feedback", "export", "--out", str(out)], env=env)
    assert result.exit_code == 0 and out.read_text().count("\n") == 2 and "wrote 2 votes" in result.stderr


def test_cli_without_a_feedback_file_says_so_in_one_line(tmp_path):
    """Exporting before any vote exists fails with one line naming the file."""
    result = CliRunner().invoke(main, ["feedback", "export"], env={"FEEDBACK_PATH": str(tmp_path / "none.sqlite3")})
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "none.sqlite3" in result.stderr
