"""Tests for the training command's bookkeeping."""

from pathlib import Path

from bot.cli.training import set_label


def test_two_stores_in_one_folder_give_their_question_sets_different_names():
    """The shipped and national stores side by side under .findings/ keep the dev set's two runs apart."""
    shipped = set_label(Path("eval/dev.jsonl"), ".findings/chroma")
    national = set_label(Path("eval/dev.jsonl"), ".findings/national")
    assert shipped == "dev@chroma" and national == "dev@national"
    assert set_label(Path("eval/dev.jsonl"), "http://127.0.0.1:8000") != national
