"""The Slack tests' knowledge base: four real reports and one hostile one, ingested once, behind the real engine.

Every Slack scenario test answers with the real engine (Router over Answerer over Knowledge over embedded Chroma)
on this store. RecordingEngine only watches it: it records each question, can hold answers at a gate, and fails
on one trigger word, because no question makes the real engine fail on demand.
"""

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.answer import Answer, Filters
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Question, Reader
from bot.routing.router import Router
from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import ingest
from tests.chroma_server import ChromaServer
from tests.conftest import KNOWLEDGE

# Two Dorset reports (an ILACS inspection and a focused visit), Essex's focused visit, Reading's news story (a
# secondary source) and the hostile Rutland letter below: questions by council, follow-ups, secondary sources and
# hostile text, in 92 chunks.
REAL_REPORTS = (
    "dorset-focused-visit-2023-06-22.md", "dorset-ilacs-2025-05-09.md", "essex-focused-visit-2021-11-22.md",
    "bbc-news-2018-reading-leaving-care.md",
)
HOSTILE_NAME = "rutland-focused-visit-2024-03-12.md"
# A question with this word makes RecordingEngine raise, as a broken engine would.
FAILING_WORD = "explode"

# A report as a hostile or careless publisher could write it. A file cannot hold NUL or a lone surrogate (ingest
# refuses the first as binary, and UTF-8 cannot encode the second), so those are tested in questions above.
HOSTILE_REPORT = """---
slug: rutland-focused-visit-2024-03-12
local_authority: "Rutland"
report_type: focused_visit
title: "Focused visit to Rutland <!channel> children’s services \\u202e"
inspection_dates: "6 and 7 February 2024"
publication_date: 2024-03-12
source_url: "https://evil.example/report|<!here>"
publisher: Ofsted
---

12 March 2024

## Focused visit to Rutland children’s services

This letter summarises the findings of the focused visit to Rutland children’s services on 6 and 7 February 2024.

## Headline findings

Social workers receive regular supervision <!channel> that is reflective and focused on children’s plans.

## What needs to improve in this area of social work practice?

- The consistency of supervision records for <@U123> and <#C123|general> teams.
- Management oversight <!subteam^S123> of supervision and plans for children in need.

## Main findings

Managers told inspectors that supervision is recorded promptly; see <https://evil.example|click here> for the \
supervision policy at https://evil.example/policy today.

Supervision is *regular* and _reflective_, with `clear` actions ~always~ recorded > in every case & reviewed by \
<!everyone> and <!here> each month.

The quality of supervision \u202egnorts si\u202c has improved since the last visit, with \u2066managers\u2069 \
checking plans in supervision.

Supervision notes use "double quotes", back\\slashes, }] brackets and {"blocks": []} without any break in \
supervision.

Supervision in the front door team\x1b[31m is timely\x1b[0m and social workers\x0c value it.
"""


def sources() -> dict[str, str]:
    """Each report's file text by report id: what every quote must be found in."""
    texts = {Path(name).stem: (KNOWLEDGE / name).read_text(encoding="utf-8") for name in REAL_REPORTS}
    return texts | {Path(HOSTILE_NAME).stem: HOSTILE_REPORT}


class RecordingEngine:
    """The real engine, watched: records each (question, filters) and answer; holds answers while `gate` is shut."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls: list[tuple[str, Filters | None]] = []
        self.answers: list[Answer] = []
        self.gate: threading.Event | None = None

    @property
    def knowledge(self):
        """The real engine's knowledge."""
        return self.inner.knowledge

    def question(self, text: str, given: Filters | None = None, **options) -> Question:
        """Read a question with the real engine."""
        return self.inner.question(text, given, **options)

    def passages(self, question: Question, **options):
        """Theme material from the real engine."""
        return self.inner.passages(question, **options)

    def ask(self, text: str, filters: Filters | None = None) -> Answer:
        """Read and answer, as the command line does."""
        return self.answer(self.question(text, filters))

    def answer(self, question: Question) -> Answer:
        """Record the call, wait at the gate if there is one, then answer with the real engine."""
        self.calls.append((question.text, question.given if question.given != Filters() else None))
        if self.gate is not None:
            self.gate.wait(10)
        if FAILING_WORD in question.text:
            raise RuntimeError(f"the engine failed on {question.text!r}")
        answer = self.inner.answer(question)
        self.answers.append(answer)
        return answer


def _knowledge_folder(root: Path) -> Path:
    folder = root / "knowledge"
    folder.mkdir()
    for name in REAL_REPORTS:
        shutil.copy(KNOWLEDGE / name, folder / name)
    (folder / HOSTILE_NAME).write_text(HOSTILE_REPORT, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def slack_store_settings(tmp_path_factory, embedder) -> Settings:
    """Settings whose embedded store holds the Slack tests' five reports, ingested once."""
    root = tmp_path_factory.mktemp("slack-kb")
    settings = Settings(_env_file=None, chroma_path=root / "chroma")
    result = ingest([_knowledge_folder(root)], open_store(settings, embedder.model_id), embedder,
                    max_bytes=settings.max_file_bytes)
    assert not result.failed and result.added == len(REAL_REPORTS) + 1
    return settings


@pytest.fixture(scope="session")
def slack_router(slack_store_settings, embedder) -> Router:
    """The real engine over the five reports, shared by the session (it is read-only)."""
    return Router(Answerer(Reader(Knowledge(open_store(slack_store_settings, embedder.model_id)), embedder)))


@pytest.fixture
def engine(slack_router) -> RecordingEngine:
    """The real engine with a fresh record of calls, for one test's app."""
    return RecordingEngine(slack_router)


@pytest.fixture
def served_engine(tmp_path, slack_store_settings, embedder) -> Iterator[tuple[ChromaServer, RecordingEngine]]:
    """The real engine reading a copy of the store through a real `chroma run` server the test may stop."""
    data = tmp_path / "served"
    shutil.copytree(slack_store_settings.chroma_path, data)
    server = ChromaServer(data)
    url = server.start()
    try:
        settings = Settings(_env_file=None, chroma_url=url, collection=slack_store_settings.collection)
        reader = Reader(Knowledge(open_store(settings, embedder.model_id)), embedder)
        yield server, RecordingEngine(Router(Answerer(reader)))
    finally:
        server.stop()


def quotes(body: dict) -> list[str]:
    """The block quotes in a posted message, as the plain text a reader sees."""
    found = []
    for block in body.get("blocks") or []:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "section" and text.startswith(">“"):
            joined = "\n".join(line.removeprefix(">") for line in text.split("\n")).strip().removeprefix("“")
            found.append(joined.removesuffix("”").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    return found


def attributions(body: dict) -> list[str]:
    """The attribution lines under the quotes of a posted message."""
    return [b["elements"][0]["text"] for b in body.get("blocks") or [] if b["type"] == "context"
            and b["elements"][0]["text"].startswith("— ")]


def answered_about(body: dict, council: str) -> bool:
    """Whether a posted answer quotes the reports, every quote attributed to `council`'s reports."""
    lines = attributions(body)
    return bool(quotes(body)) and len(lines) == len(quotes(body)) and all(f" · {council} · " in x for x in lines)
