"""A knowledge base of 12 real reports, built once per session for the leaders' summaries tests."""

import shutil
import textwrap

import pytest

from bot.leaders import features as package
from bot.leaders.feature import feature, features
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import ingest
from tests.conftest import KNOWLEDGE

NATIONAL = KNOWLEDGE.parent / "tests" / "fixtures" / "national"
# Every layout and history the summaries handle, in as few chunks as will do: Liverpool Inadequate 2023 then no
# overall grade 2026; Herefordshire Inadequate 2022 → Good 2026 with a focused visit; Barnsley's 2014 SIF then its
# 2018–19 ILACS table; Norfolk's 2026 outstanding; Essex with focused visits only; Reading's visit and a news story.
REPORTS = (
    KNOWLEDGE / "liverpool-ilacs-2023-05-25.md", KNOWLEDGE / "liverpool-ilacs-2026-07-07.md",
    KNOWLEDGE / "herefordshire-focused-visit-2020-01-21.md", KNOWLEDGE / "herefordshire-ilacs-2022-09-21.md",
    KNOWLEDGE / "herefordshire-ilacs-2026-01-12.md", NATIONAL / "barnsley-sif-inspection-2014-08-08.md",
    KNOWLEDGE / "barnsley-ilacs-2018-11-19.md", KNOWLEDGE / "norfolk-focused-visit-2021-11-09.md",
    KNOWLEDGE / "norfolk-ilacs-2026-05-18.md", KNOWLEDGE / "essex-focused-visit-2025-02-14.md",
    KNOWLEDGE / "reading-focused-visit-2023-10-17.md", KNOWLEDGE / "bbc-news-2018-reading-leaving-care.md",
)


@pytest.fixture(scope="session")
def leaders_settings(tmp_path_factory, embedder) -> Settings:
    """Settings whose store holds the 12 reports, ingested once."""
    folder = tmp_path_factory.mktemp("leaders-knowledge")
    for path in REPORTS:
        shutil.copy(path, folder / path.name)
    settings = Settings(_env_file=None, chroma_path=tmp_path_factory.mktemp("leaders-kb") / "chroma")
    result = ingest([folder], open_store(settings, embedder.model_id), embedder, max_bytes=settings.max_file_bytes)
    assert not result.failed and result.added == len(REPORTS)
    return settings


@pytest.fixture(scope="session")
def leaders_answerer(leaders_settings, embedder) -> Answerer:
    """An answer engine over the 12 reports."""
    return Answerer(Reader(Knowledge(open_store(leaders_settings, embedder.model_id)), embedder))


@pytest.fixture(scope="session")
def leaders_knowledge(leaders_answerer) -> Knowledge:
    """The committed knowledge of the 12 reports."""
    return leaders_answerer.knowledge


ECHO = '''
"""A feature that only repeats its words, for the registry's tests."""

from bot.leaders.feature import Feature

FEATURE = Feature(name="echo", words=("echo", "repeat"), argument="<words>", optional=False,
                  help="repeats the words.", order=9, build=lambda r: r.text.upper(), text=lambda t: t + "\\n",
                  json=lambda t: {"echo": t})
'''


@pytest.fixture
def with_echo(tmp_path, monkeypatch):
    """The registry with one more feature module, found in a second folder of the features package."""
    (tmp_path / "echo.py").write_text(textwrap.dedent(ECHO), encoding="utf-8")
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    features.cache_clear()
    yield feature("echo")
    features.cache_clear()
