"""Tests for the ingest workers: the same vectors in worker processes as in this one, and failures kept apart."""

from pathlib import Path

import numpy as np
import pytest

from bot.errors import ConfigError, InputError
from bot.ingest.catalogue import Catalogues
from bot.ingest.workers import InlineWorkers, ProcessWorkers, start_workers
from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import ingest
from tests.conftest import KNOWLEDGE, SMALL_REPORTS


def test_worker_processes_embed_exactly_as_this_process_does(embedder, tmp_path: Path):
    """Chunks, sentence offsets and vectors prepared in a worker process equal those prepared inline."""
    path = KNOWLEDGE / SMALL_REPORTS[0]
    row = Catalogues([KNOWLEDGE]).row(path)
    inline = InlineWorkers(embedder).submit(path, path.read_bytes(), row, 2000).result()
    workers = start_workers(Settings(_env_file=None, ingest_workers=2))
    try:
        assert isinstance(workers, ProcessWorkers)
        remote = workers.submit(path, path.read_bytes(), row, 2000).result()
    finally:
        workers.close()
    assert remote.chunks == inline.chunks and remote.sentences == inline.sentences
    assert remote.source == inline.source
    np.testing.assert_allclose(remote.vectors, inline.vectors, atol=1e-5)
    for mine, theirs in zip(inline.sentence_vectors, remote.sentence_vectors, strict=True):
        np.testing.assert_allclose(theirs, mine, atol=1e-5)


def test_a_bad_file_in_a_worker_is_one_failure_and_the_rest_commit(settings, small_knowledge: Path):
    """A corrupt PDF fails in its worker with its reason; the reports around it are committed in order."""
    (small_knowledge / "broken.pdf").write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    workers = start_workers(settings.model_copy(update={"ingest_workers": 2}))
    try:
        store = open_store(settings, workers.model_id)
        result = ingest([small_knowledge], store, workers, max_bytes=settings.max_file_bytes)
    finally:
        workers.close()
    assert result.added == len(SMALL_REPORTS)
    assert [f.path.endswith("broken.pdf") for f in result.failed] == [True]
    assert "PDF" in result.failed[0].error
    assert store.count() == sum(s.chunks for s in store.reports().values()) == result.chunks


def test_one_worker_embeds_in_this_process(settings):
    """INGEST_WORKERS=1 uses the in-process embedder, so nothing is spawned."""
    workers = start_workers(settings.model_copy(update={"ingest_workers": 1}))
    assert isinstance(workers, InlineWorkers) and workers.size == 1


def test_a_wrong_model_digest_fails_before_any_worker_starts(tmp_path: Path):
    """A model folder whose file does not match its sha256 is one ConfigError, raised in this process."""
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(b"not a model")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    settings = Settings(_env_file=None, embedding_model=str(folder), embedding_model_sha256="0" * 64, ingest_workers=2)
    with pytest.raises(ConfigError, match="sha256"):
        start_workers(settings)


def test_an_input_error_travels_back_from_a_worker(tmp_path: Path):
    """A file with no text raises the same InputError from a worker's future as it would inline."""
    path = tmp_path / "blank.md"
    path.write_text("---\ntitle: Blank\n---\n\n   \n", encoding="utf-8")
    workers = start_workers(Settings(_env_file=None, ingest_workers=2))
    try:
        with pytest.raises(InputError):
            workers.submit(path, path.read_bytes(), {}, 2000).result()
    finally:
        workers.close()
