"""Tests for the answer memo: one computation per question, filters and snapshot, however many ask at once."""

import threading

from bot.answer import Filters
from bot.retrieval.answerer import Answerer
from bot.retrieval.knowledge import Knowledge
from bot.retrieval.memo import Memo
from bot.retrieval.question import Reader
from bot.routing.router import Router
from bot.store.client import open_store
from bot.store.sync import ingest


class Counting:
    """The real router, counting the answers it works out (shared by its pinned copies)."""

    def __init__(self, router: Router, calls: list | None = None) -> None:
        self.router, self.calls = router, calls if calls is not None else []

    @property
    def knowledge(self):
        return self.router.knowledge

    def question(self, text, given=None, **options):
        return self.router.question(text, given, **options)

    def answer(self, question):
        self.calls.append(question.text)
        return self.router.answer(question)


def _engine(settings, folder, embedder) -> tuple[Counting, Knowledge]:
    store = open_store(settings, embedder.model_id)
    ingest([folder], store, embedder, max_bytes=settings.max_file_bytes)
    knowledge = Knowledge(store, refresh_seconds=0.0)
    return Counting(Router(Answerer(Reader(knowledge, embedder)))), knowledge


def test_the_same_question_from_ten_threads_is_worked_out_once(settings, small_knowledge, embedder):
    """Ten threads asking one question at once get one identical answer, computed once; case and spacing aside."""
    counting, _ = _engine(settings, small_knowledge, embedder)
    memo, answers = Memo(counting), []
    start = threading.Barrier(10)

    def ask(n: int) -> None:
        start.wait()
        answers.append(memo.ask("How are care leavers supported in Essex?" if n % 2 else
                                   "  how are care leavers   supported in essex?"))

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counting.calls) == 1 and answers[0].answered
    assert all(a.to_json() == answers[0].to_json() for a in answers)
    memo.ask("How are care leavers supported in Essex?", Filters(("Westminster",)))
    assert len(counting.calls) == 2  # other filters, another answer


def test_a_changed_store_is_answered_afresh(settings, small_knowledge, embedder):
    """After another ingest changes the store, the same question is worked out again on the new snapshot."""
    counting, _ = _engine(settings, small_knowledge, embedder)
    memo = Memo(counting)
    before = memo.ask("What did Ofsted say about Essex care leavers?")
    (small_knowledge / "essex-focused-visit-2021-11-22.md").unlink()
    ingest([small_knowledge], counting.router.knowledge.store, embedder,
           max_bytes=settings.max_file_bytes, prune=True)
    after = memo.ask("What did Ofsted say about Essex care leavers?")
    assert len(counting.calls) == 2 and before.answered and not after.answered
