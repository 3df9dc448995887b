"""The embedded-store behaviours again, against a real Chroma server (`chroma run`), as a deployment runs them.

Every test uses its own collection on one session server, through the real code paths: `open_store` with
CHROMA_URL set, `ingest`, the `findings` CLI, and `Knowledge` + `Answerer` as each bot replica builds them.
The leaders' summary (`findings summary "Essex" --json`) runs through `findings` like every other command.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings
from click.testing import CliRunner
from structlog.testing import capture_logs

from bot.cli import main
from bot.ingest.reader import read_source
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.settings import Settings
from bot.slack.wording import unavailable
from bot.store.client import open_store
from bot.store.sync import ingest
from tests.chroma_server import ChromaServer, unique_collection
from tests.conftest import KNOWLEDGE, REPO, SMALL_REPORTS, CountingEmbedder
from tests.slack_fake import BOT_USER, make_settings, message_event, running_fake, running_http

# A report outside SMALL_REPORTS, and a question about its council that nothing else can answer.
NEW_REPORT = "coventry-focused-visit-2018-02-22.md"
NEW_QUESTION = "How well does the MASH in Coventry work?"


def _settings(url: str, collection: str, tmp_path: Path) -> Settings:
    """Server-mode settings for one collection; CHROMA_PATH points where nothing may be written."""
    return Settings(
        _env_file=None,
        chroma_url=url,
        collection=collection,
        chroma_path=tmp_path / "embedded-unused",
        log_format="json",
    )


def _run(settings: Settings, paths: list[Path], embedder, **options):
    store = open_store(settings, embedder.model_id)
    return ingest(paths, store, embedder, max_bytes=settings.max_file_bytes, **options), store


def _server_count(url: str, collection: str) -> int:
    """How many chunks the server itself holds in a collection, asked with a client of our own."""
    host, port = url.removeprefix("http://").split(":")
    client = chromadb.HttpClient(host=host, port=int(port), settings=ChromaSettings(anonymized_telemetry=False))
    return client.get_collection(collection).count()


def test_server_ingest_is_idempotent(chroma_url, chroma_collection, tmp_path, small_knowledge, embedder):
    """Ingest into a Chroma server writes every chunk there, and a second run embeds nothing and changes nothing."""
    settings = _settings(chroma_url, chroma_collection, tmp_path)
    counting = CountingEmbedder(embedder)
    first, store = _run(settings, [small_knowledge], counting)
    assert (first.added, first.failed) == (3, []) and first.chunks == counting.texts > 0
    assert _server_count(chroma_url, settings.collection) == first.chunks == store.count()
    assert not settings.chroma_path.exists()
    ids_before = {h.id for h in store.all_chunks()}
    second, store = _run(settings, [small_knowledge], counting)
    assert (second.added, second.updated, second.unchanged, second.chunks) == (0, 0, 3, 0)
    assert counting.texts == first.chunks
    assert {h.id for h in store.all_chunks()} == ids_before


def test_server_changed_file_leaves_no_orphans(chroma_url, chroma_collection, tmp_path, small_knowledge, embedder):
    """Editing a report re-ingests only it, and the server keeps none of the old version's chunks."""
    settings = _settings(chroma_url, chroma_collection, tmp_path)
    _run(settings, [small_knowledge], embedder)
    target = small_knowledge / SMALL_REPORTS[0]
    text = target.read_text(encoding="utf-8")
    target.write_text(text[: len(text) // 2] + "\n\nA new closing paragraph about supervision.\n", encoding="utf-8")
    result, store = _run(settings, [small_knowledge], embedder)
    assert (result.updated, result.unchanged, result.added) == (1, 2, 0)
    assert store.count() == sum(s.chunks for s in store.reports().values())
    digest = store.reports()[target.stem].digest
    chunks = [h for h in store.all_chunks() if h.report_id == target.stem]
    assert chunks and all(h.id.split(":")[1] == digest[:12] for h in chunks)
    assert any("new closing paragraph" in h.text for h in chunks)


def test_server_removed_file_goes_only_with_prune(chroma_url, chroma_collection, tmp_path, small_knowledge, embedder):
    """A deleted file's report stays on the server until `prune`, then goes with all its chunks."""
    settings = _settings(chroma_url, chroma_collection, tmp_path)
    _run(settings, [small_knowledge], embedder)
    (small_knowledge / SMALL_REPORTS[1]).unlink()
    kept, store = _run(settings, [small_knowledge], embedder)
    assert kept.removed == 0 and len(store.reports()) == 3
    pruned, store = _run(settings, [small_knowledge], embedder, prune=True)
    assert pruned.removed == 1 and set(store.reports()) == {Path(n).stem for n in SMALL_REPORTS} - {
        Path(SMALL_REPORTS[1]).stem
    }
    assert _server_count(chroma_url, settings.collection) == sum(s.chunks for s in store.reports().values())


def _cli_env(url: str, collection: str, tmp_path: Path) -> dict[str, str]:
    return {
        "CHROMA_URL": url,
        "COLLECTION": collection,
        "CHROMA_PATH": str(tmp_path / "embedded-unused"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
    }


def test_cli_ingest_sources_and_ask_against_the_server(chroma_url, chroma_collection, tmp_path, small_knowledge):
    """`ingest --json`, `sources --json` and `ask --json` work with CHROMA_URL set and never touch CHROMA_PATH."""
    env = _cli_env(chroma_url, chroma_collection, tmp_path)
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(small_knowledge), "--json", "--prune"], env=env)
    assert ingested.exit_code == 0, ingested.output
    summary = json.loads(ingested.stdout)
    assert summary["added"] == 3 and summary["chunks"] > 0 and summary["failed"] == []
    assert _server_count(chroma_url, env["COLLECTION"]) == summary["chunks"]

    again = runner.invoke(main, ["ingest", str(small_knowledge), "--json"], env=env)
    assert json.loads(again.stdout)["unchanged"] == 3 and json.loads(again.stdout)["chunks"] == 0

    sources = runner.invoke(main, ["sources", "--json"], env=env)
    assert sources.exit_code == 0, sources.output
    rows = json.loads(sources.stdout)
    assert {r["id"] for r in rows} == {Path(n).stem for n in SMALL_REPORTS}
    assert sum(r["chunks"] for r in rows) == summary["chunks"]

    asked = runner.invoke(main, ["ask", "how are care leavers supported in Essex?", "--json"], env=env)
    assert asked.exit_code == 0, asked.output
    payload = json.loads(asked.stdout)
    assert payload["answered"] and payload["excerpts"]
    assert {e["report"]["local_authority"] for e in payload["excerpts"]} == {"Essex"}
    assert not (tmp_path / "embedded-unused").exists()


def _replica(settings: Settings, embedder) -> Answerer:
    """One bot replica as `findings serve` builds it: its own store client, knowledge snapshot and answerer."""
    return Answerer(Reader(Knowledge(open_store(settings, embedder.model_id)), embedder))


def _ask_in_new_process(settings: Settings, question: str) -> dict:
    """`findings ask --json` in a fresh interpreter: a replica started after the ingest."""
    env = {
        **os.environ,
        "CHROMA_URL": settings.chroma_url,
        "COLLECTION": settings.collection,
        "CHROMA_PATH": str(settings.chroma_path),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", question, "--json"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_replicas_sharing_a_server_see_another_clients_ingest(
    chroma_url, chroma_collection, tmp_path, small_knowledge, embedder
):
    """Two replicas on one server pick up a report another client ingests (and later prunes) on refresh, alike."""
    settings = _settings(chroma_url, chroma_collection, tmp_path)
    _run(settings, [small_knowledge], embedder)
    replicas = [_replica(settings, embedder), _replica(settings, embedder)]
    sizes_before = [r.knowledge.index.size for r in replicas]
    assert all(not r.ask(NEW_QUESTION).answered for r in replicas)

    new_folder = tmp_path / "new"
    new_folder.mkdir()
    shutil.copy(KNOWLEDGE / NEW_REPORT, new_folder / NEW_REPORT)
    added, writer = _run(settings, [new_folder], embedder)  # a third client, like the ingest Job
    assert added.added == 1 and len(writer.reports()) == 4

    assert [r.knowledge.refresh(force=True) for r in replicas] == [True, True]
    expected_size = len(writer.all_chunks())
    for replica, before in zip(replicas, sizes_before, strict=True):
        assert replica.knowledge.fingerprint == writer.fingerprint()
        assert Path(NEW_REPORT).stem in replica.knowledge.reports
        assert replica.knowledge.index.size == expected_size > before  # the BM25 index was rebuilt
    answers = [r.ask(NEW_QUESTION) for r in replicas]
    assert all(a.answered for a in answers)
    assert {e.report.id for a in answers for e in a.excerpts} == {Path(NEW_REPORT).stem}
    assert [e.to_json() for e in answers[0].excerpts] == [e.to_json() for e in answers[1].excerpts]
    assert _ask_in_new_process(settings, NEW_QUESTION)["excerpts"] == [e.to_json() for e in answers[0].excerpts]
    assert [r.knowledge.refresh(force=True) for r in replicas] == [False, False]  # unchanged store: no rebuild

    (new_folder / NEW_REPORT).unlink()
    pruned, _ = _run(settings, [new_folder], embedder, prune=True)
    assert pruned.removed == 1
    assert [r.knowledge.refresh(force=True) for r in replicas] == [True, True]
    assert all(Path(NEW_REPORT).stem not in r.knowledge.reports for r in replicas)
    assert all(r.knowledge.index.size == before for r, before in zip(replicas, sizes_before, strict=True))
    assert all(not r.ask(NEW_QUESTION).answered for r in replicas)


def test_summary_against_the_server(chroma_url, chroma_collection, tmp_path, small_knowledge):
    """`findings summary "Essex" --json` briefs from the server's store, every quote cut verbatim from its report."""
    env = _cli_env(chroma_url, chroma_collection, tmp_path)
    report = small_knowledge / "essex-focused-visit-2021-11-22.md"
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", str(report), "--json"], env=env)
    assert ingested.exit_code == 0, ingested.output
    result = runner.invoke(main, ["summary", "Essex", "--json"], env=env)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["local_authority"] == "Essex" and payload["focused_visit"]["report"] == report.stem
    visit = payload["focused_visit"]
    quotes = [*payload["improvements"], *payload["strengths"], *payload["concerns"], *visit["improvements"]]
    quotes += [visit["focus"]] if visit["focus"] else []
    assert quotes
    source = read_source(report, report.read_bytes(), {}, max_pages=10).text
    for quote in quotes:
        assert quote["report"] == report.stem and source[quote["start"] : quote["end"]] == quote["text"]


def _logged(logs: list[dict], event: str, timeout: float = 10.0) -> dict:
    """The first log line of this event: the reply is posted a moment before its question's line is written."""
    deadline = time.monotonic() + timeout
    while not (found := [entry for entry in logs if entry["event"] == event]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert found, f"no {event} line was logged"
    return found[0]


def test_chroma_down_while_serving_says_unavailable_with_a_ref_and_recovers(tmp_path, small_knowledge, embedder):
    """With the Chroma server stopped, a question that needs the store gets 'unavailable, try again shortly (ref X)'
    and /healthz is 503; once the server is back the same running bot answers it, without being restarted."""
    server = ChromaServer(tmp_path / "outage-data")
    server.start()
    try:
        settings = _settings(server.url, unique_collection(), tmp_path)
        _run(settings, [small_knowledge], embedder)
        slack_settings = make_settings(tmp_path, chroma_url=server.url, collection=settings.collection)
        with running_fake() as fake, running_http(fake, slack_settings, _replica(settings, embedder)) as app:
            health = app.url.replace("/slack/events", "/healthz")
            warm = f"<@{BOT_USER}> What did inspectors find about care leavers in Essex?"
            app.post_event(message_event(warm, ts="1.000001", kind="app_mention"))
            [before] = fake.wait_for("chat.postMessage", 1, timeout=30)
            assert "Essex" in json.dumps(before["blocks"]) and "unavailable" not in before["text"]
            # A council not asked about yet: its vectors are not in memory, so answering needs the store.
            question = f"<@{BOT_USER}> What did inspectors find about care leavers in Westminster?"

            server.stop()
            with capture_logs() as logs:
                app.post_event(message_event(question, ts="2.000001", kind="app_mention"))
                down = fake.wait_for("chat.postMessage", 2, timeout=30)[1]
                line = _logged(logs, "slack.question")
            assert line["outcome"] == "unavailable" and line["error"] == "StoreUnavailable"
            assert down["text"] == unavailable(line["ref"]) and down["thread_ts"] == "2.000001"
            assert "knowledge base is unavailable" in down["text"] and "try again shortly" in down["text"]
            with pytest.raises(urllib.error.HTTPError) as failed:
                urllib.request.urlopen(health, timeout=10)
            assert failed.value.code == 503

            server.start()
            app.post_event(message_event(question, ts="3.000001", kind="app_mention"))
            after = fake.wait_for("chat.postMessage", 3, timeout=30)[2]
            assert after["thread_ts"] == "3.000001" and "Westminster" in json.dumps(after["blocks"])
            assert "unavailable" not in after["text"]
            with urllib.request.urlopen(health, timeout=10) as response:
                assert response.status == 200
            assert len(fake.bodies("chat.postMessage")) == 3
    finally:
        server.stop()
