"""The same question asked again on the same knowledge gets the answer already worked out, computed once.

An answer depends only on the question's words, its filters and the knowledge snapshot (the models are fixed),
so it is keyed by all three: a refresh that changes the store changes the key. Identical questions arriving
together (a team asking what the new report says the morning it lands) wait for the one being worked out
rather than each computing it. Only answers are kept, in memory, for a bounded number of questions.
"""

import threading
from collections import OrderedDict
from concurrent.futures import Future

from bot.answer import Answer, Excerpt, Filters
from bot.retrieval.question import Question

MEMO_SIZE = 512


def question_key(question: str) -> str:
    """The question as the engine reads it: case and spacing do not change an answer."""
    return " ".join(question.split()).casefold()


class Memo:
    """An engine in front of another: answers memoised per (question, filters, snapshot), computed once each."""

    def __init__(self, engine, size: int = MEMO_SIZE) -> None:
        self.engine = engine
        self.size = size
        self._answers: OrderedDict[tuple, Future] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def knowledge(self):
        """The knowledge the engine answers from."""
        return self.engine.knowledge

    def question(self, text: str, given: Filters | None = None, *, thread: Filters | None = None,
                 snapshot=None, classify: bool = True) -> Question:
        """Read a question, as the engine does."""
        return self.engine.question(text, given, thread=thread, snapshot=snapshot, classify=classify)

    def ask(self, text: str, filters: Filters | None = None) -> Answer:
        """Read a question and answer it, from the memo when it was answered on this snapshot already."""
        return self.answer(self.question(text, filters))

    def answer(self, question: Question) -> Answer:
        """The answer, from the memo when this question was answered on its snapshot already."""
        key = (question_key(question.text), question.given, question.snapshot.fingerprint)
        with self._lock:
            future = self._answers.get(key)
            owner = future is None
            if owner:
                future = self._answers[key] = Future()
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
            else:
                self._answers.move_to_end(key)
        if not owner:
            return future.result()
        try:
            future.set_result(self.engine.answer(question))
        except BaseException as err:  # the waiters get the same failure; the key is dropped so it is tried again
            with self._lock:
                self._answers.pop(key, None)
            future.set_exception(err)
        return future.result()

    def passages(self, question: Question, **options) -> list[Excerpt]:
        """Theme material, straight from the engine (summaries are not memoised)."""
        return self.engine.passages(question, **options)
