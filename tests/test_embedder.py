"""Tests for the offline ONNX embedder."""

import shutil

import numpy as np
import pytest

from bot.embedder import Embedder, model_files
from bot.errors import ConfigError
from bot.settings import Settings


def test_vectors_are_normalised_and_meaningful(embedder):
    """Related sentences score higher than unrelated ones, and vectors have unit length."""
    vectors = embedder.embed([
        "Care leavers are supported by personal advisers.",
        "Personal advisers help young people leaving care.",
        "The council approved a new car park budget.",
    ])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_batching_by_length_keeps_input_order(embedder):
    """Texts of mixed lengths come back in the order given, as if embedded one by one."""
    texts = ["short", "a much longer sentence about child protection plans and core groups " * 3, "medium text here"]
    together = embedder.embed(texts)
    alone = np.vstack([embedder.embed([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-3)


def test_long_text_is_truncated_not_rejected(embedder):
    """A text far over 256 tokens still embeds."""
    assert embedder.embed(["word " * 2000]).shape == (1, embedder.dimension)


def test_wrong_checksum_fails_with_a_fix(tmp_path):
    """A model file whose sha256 differs is refused with a message saying how to fix it."""
    files = model_files(Settings(_env_file=None))
    shutil.copy(files.model, tmp_path / "model.onnx")
    shutil.copy(files.tokenizer, tmp_path / "tokenizer.json")
    settings = Settings(_env_file=None, embedding_model=str(tmp_path), embedding_model_sha256="0" * 64)
    with pytest.raises(ConfigError, match=r"sha256.*EMBEDDING_MODEL"):
        Embedder(model_files(settings))


def test_missing_model_file_fails_with_a_fix(tmp_path):
    """A model folder without model.onnx is refused with a message naming the file and the fix."""
    settings = Settings(_env_file=None, embedding_model=str(tmp_path))
    with pytest.raises(ConfigError, match=r"model\.onnx is missing"):
        Embedder(model_files(settings))


def test_a_custom_model_folder_is_a_setting(tmp_path):
    """EMBEDDING_MODEL may point at another folder with model.onnx and tokenizer.json."""
    files = model_files(Settings(_env_file=None))
    shutil.copy(files.model, tmp_path / "model.onnx")
    shutil.copy(files.tokenizer, tmp_path / "tokenizer.json")
    custom = Embedder(model_files(Settings(_env_file=None, embedding_model=str(tmp_path))))
    assert custom.model_id == tmp_path.name
    assert custom.embed(["hello"]).shape == (1, 384)
