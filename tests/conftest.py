"""Shared fixtures: a clean environment, real settings in temp dirs, and the real embedding model."""

import os
import shutil
from pathlib import Path

import pytest
import structlog

from bot.embedder import load_embedder
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import ingest

# Fixture modules, registered once here (the supported place) rather than imported into test modules.
pytest_plugins = ["tests.chroma_server", "tests.leaders_kb", "tests.redis_server", "tests.slack_kb"]

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE = REPO / "knowledge"
# A copy of ../shared/eval/dev.jsonl with a theme on each thematic question: the shipped knowledge base's questions.
DEV_SET = REPO / "eval" / "dev.jsonl"
# Three short real reports keep ingest tests quick while exercising the real pipeline.
SMALL_REPORTS = (
    "calderdale-focused-visit-2025-05-20.md",
    "westminster-focused-visit-2022-07-20.md",
    "essex-focused-visit-2021-11-22.md",
)


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, real) -> None:
        self.real, self.model_id, self.texts = real, real.model_id, 0

    def embed(self, texts):
        self.texts += len(texts)
        return self.real.embed(texts)

    def embed_spans(self, texts, spans):
        self.texts += len(texts)
        return self.real.embed_spans(texts, spans)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep settings from leaking in from the developer's shell."""
    for name in list(os.environ):
        if name.upper() in {field.upper() for field in Settings.model_fields}:
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def fresh_logging():
    """Undo any structlog set-up a test's CLI run made (LOG_LEVEL=WARNING would hide later tests' info lines)."""
    yield
    structlog.reset_defaults()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an embedded store in a temp dir."""
    return Settings(_env_file=None, chroma_path=tmp_path / "chroma", knowledge_dir=KNOWLEDGE, log_format="json")


@pytest.fixture(scope="session")
def embedder():
    """The real packaged embedding model, loaded once."""
    return load_embedder(Settings(_env_file=None))


@pytest.fixture(scope="session")
def answerer(tmp_path_factory, embedder):
    """An answer engine over the whole shipped knowledge base, built once for the session."""
    settings = Settings(_env_file=None, chroma_path=tmp_path_factory.mktemp("kb") / "chroma")
    store = open_store(settings, embedder.model_id)
    result = ingest([KNOWLEDGE], store, embedder, max_bytes=settings.max_file_bytes)
    assert not result.failed and result.added == 66
    return Answerer(Reader(Knowledge(store), embedder))


@pytest.fixture
def small_knowledge(tmp_path: Path) -> Path:
    """A folder with three real reports and the catalogue."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for name in SMALL_REPORTS:
        shutil.copy(KNOWLEDGE / name, folder / name)
    return folder
