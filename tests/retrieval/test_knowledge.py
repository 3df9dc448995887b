"""Tests for the knowledge holder: snapshots swapped whole, so answers beside a refresh read one version only."""

import dataclasses
import threading

import pytest

from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.question import Reader
from bot.retrieval.snapshot import Snapshot
from bot.routing.router import Router
from bot.store.client import open_store
from bot.store.sync import ingest

ESSEX = "essex-focused-visit-2021-11-22"
QUESTIONS = ("how are care leavers supported in Essex?", "what do personal advisers do in Essex?",
             "how is care leavers' accommodation in Essex?", "what did Ofsted say about exploitation in Essex?",
             "which councils are outstanding?", "what reports do you hold on Essex?")


def _versions(source: str) -> tuple[str, str]:
    """The report as published, and a second version with different wording in every paragraph."""
    head, body = source.split("\n---\n", 1)
    return source, head + "\n---\n" + body.replace("care leavers", "care-experienced young people")


def test_twenty_threads_asking_beside_a_refresh_loop_each_read_one_version(settings, small_knowledge, embedder):
    """While one report flips between two versions and the store is re-read in a loop, every answer of 20
    threads is verbatim and all its excerpts of that report come from one version's text and chunks."""
    path = small_knowledge / f"{ESSEX}.md"
    texts = _versions(path.read_text(encoding="utf-8"))
    store = open_store(settings, embedder.model_id)
    chunk_sets, bodies = [], []
    for text in texts:  # ingest each version once, to learn its chunk ids
        path.write_text(text, encoding="utf-8")
        ingest([small_knowledge], store, embedder, max_bytes=settings.max_file_bytes)
        knowledge = Knowledge(store)
        chunk_sets.append({c.id for c in knowledge.by_report[ESSEX]})
        bodies.append(store.reports()[ESSEX].report and "\n".join(c.text for c in knowledge.by_report[ESSEX]))
    assert not chunk_sets[0] & chunk_sets[1]
    knowledge = Knowledge(store, refresh_seconds=0.0)  # every question checks the store
    engine = Router(Answerer(Reader(knowledge, embedder)))
    stop, answers, errors, flips = threading.Event(), [], [], []

    def flip() -> None:
        while not stop.is_set():
            path.write_text(texts[(len(flips) + 1) % 2], encoding="utf-8")
            ingest([small_knowledge], store, embedder, max_bytes=settings.max_file_bytes)
            knowledge.refresh(force=True)
            flips.append(knowledge.current.fingerprint)

    def ask(worker: int) -> None:
        try:
            n = 0
            while n < 6 or len(flips) < 4:  # ask on until the store has changed under the askers four times
                answers.append(engine.ask(QUESTIONS[(worker + n) % len(QUESTIONS)]))
                n += 1
        except Exception as err:  # collected: a failure in a thread must fail the test
            errors.append(err)

    flipper = threading.Thread(target=flip)
    flipper.start()
    askers = [threading.Thread(target=ask, args=(n,)) for n in range(20)]
    for thread in askers:
        thread.start()
    for thread in askers:
        thread.join()
    stop.set()
    flipper.join()
    assert not errors and len(answers) >= 120 and len(set(flips)) >= 2
    mixed, seen = 0, set()
    for answer in answers:
        versions = set()
        for excerpt in answer.excerpts:
            if excerpt.report.id != ESSEX:
                continue
            # A structured route's excerpt may carry no chunk id; then its wording alone says which version.
            held = [v for v in (0, 1) if excerpt.text in bodies[v]
                    and (not excerpt.chunk_id or excerpt.chunk_id in chunk_sets[v])]
            assert held, f"an excerpt neither version holds ({answer.route})"
            if len(held) == 1:
                versions.add(held[0])
        mixed += len(versions) > 1
        seen |= versions
    assert mixed == 0 and seen == {0, 1}  # both versions answered, never both in one answer


def test_a_snapshot_cannot_be_changed_once_built(settings, small_knowledge, embedder):
    """Assigning to a snapshot fails: what a question reads stays as it was."""
    store = open_store(settings, embedder.model_id)
    ingest([small_knowledge], store, embedder, max_bytes=settings.max_file_bytes)
    snapshot = Knowledge(store).snapshot()
    assert isinstance(snapshot, Snapshot) and len(snapshot.reports) == 3
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.reports = {}  # type: ignore[misc]


def test_a_refresh_swaps_in_a_new_snapshot_and_leaves_the_old_one_whole(settings, small_knowledge, embedder):
    """After another ingest, the holder serves a new snapshot; one taken before still holds the old reports."""
    store = open_store(settings, embedder.model_id)
    ingest([small_knowledge], store, embedder, max_bytes=settings.max_file_bytes)
    knowledge = Knowledge(store, refresh_seconds=0.0)
    before = knowledge.snapshot()
    (small_knowledge / f"{ESSEX}.md").unlink()
    ingest([small_knowledge], store, embedder, max_bytes=settings.max_file_bytes, prune=True)
    after = knowledge.snapshot()
    assert after is not before and ESSEX not in after.reports and ESSEX in before.reports
    assert all(c.report_id in before.reports for c in before.chunks)
