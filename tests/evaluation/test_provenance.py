"""Tests that every generated model file says what it was built from, and that those inputs are the repo's own."""

import json
from pathlib import Path

import pytest

from bot.evaluation.pairs import TRAINING_FILE, data_hash
from bot.evaluation.provenance import changed_inputs, file_sha256, provenance

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bot" / "data"


def _json(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["intent.json", "ranker.json"])
def test_learned_weights_were_built_from_the_data_in_the_repo(name):
    """intent.json and ranker.json record each input's sha256, which matches the file in the repo, and a command
    that `make train` runs."""
    record = _json(name)["provenance"]
    assert record["inputs"] and changed_inputs(record, ROOT) == []
    assert record["command"].startswith("findings train ranker ")
    assert "findings train ranker" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_the_ranker_was_fitted_on_the_shipped_cross_encoder():
    """The ranker's cross-encoder columns came from the model that ships: the one its card names."""
    assert _json("ranker.json")["provenance"]["reranker_sha256"] == _json("reranker.json")["sha256"]


def test_the_cross_encoder_card_names_the_training_data_in_the_repo():
    """The cross-encoder's card records the sha256 of the written questions it was trained on, and its command."""
    card = _json("reranker.json")
    assert card["data"]["sha256"] == data_hash(ROOT / TRAINING_FILE)
    assert card["sha256"] == file_sha256(DATA / card["model"])
    assert card["command"].startswith("findings train reranker ")


def test_a_changed_input_is_named(tmp_path, monkeypatch):
    """Editing an input after the record was made makes it stale, named; inputs outside the repo are not judged."""
    monkeypatch.chdir(tmp_path)
    Path("examples.csv").write_text("question,route\n", encoding="utf-8")
    record = provenance({"examples": Path("examples.csv")}, "findings train ranker --seed 0")
    record["inputs"]["national"] = {"path": "../shared/national/catalogue.csv", "sha256": "0" * 64}
    assert record["command"] == "findings train ranker --seed 0"
    assert changed_inputs(record, tmp_path) == []
    Path("examples.csv").write_text("question,route\nhello,quotes\n", encoding="utf-8")
    assert changed_inputs(record, tmp_path) == ["examples"]


def test_the_polarity_card_names_the_labelled_sentences_in_the_repo():
    """The strength / concern classifier's card records the sha256 of its labelled sentences, its own file's
    sha256, and a command that `make train` runs."""
    card = _json("polarity.json")
    assert card["data"]["sha256"] == file_sha256(ROOT / card["data"]["file"])
    assert card["sha256"] == file_sha256(DATA / card["model"])
    assert card["command"].startswith("findings train polarity ")
    assert "findings train polarity" in (ROOT / "Makefile").read_text(encoding="utf-8")
