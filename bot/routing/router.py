"""One router in front of the answer engine: each question gets the kind of answer it asks for.

The intent model (learned from `bot/data/route_examples.csv`) says whether a question wants quotes, grades across
councils, one council's grades and history, what needs to improve, or facts about the reports. Every route
returns the same `Answer`, with verbatim excerpts cut from the reports, so Slack, `findings ask` and the
evaluation treat them alike; when a structured route has nothing to say the question falls back to quotes.
"""

import functools
import time
from dataclasses import replace

import structlog

from bot import messages
from bot.answer import Answer, Excerpt, Filters
from bot.datafiles import read_lines, read_rows
from bot.language.groups import size_bands
from bot.language.reports import is_focused_visit, type_phrases
from bot.leaders.facts import held_line, holdings, improvement_list, latest_line, report_facts
from bot.leaders.standing import council_grades, grades_across
from bot.retrieval.answerer import Answerer
from bot.retrieval.intent import Kind
from bot.retrieval.keyword import tokenize
from bot.retrieval.question import MAX_NAMED, Question
from bot.retrieval.snapshot import Snapshot

log = structlog.get_logger()


@functools.cache
def route_words() -> frozenset[str]:
    """The words of grades, areas, change and facts (`bot/data/route_words.txt`), the report-type phrases,
    the fact cues' phrases and the size bands', as the index spells them."""
    cues = [row["phrase"] for row in read_rows("fact_cues.csv")]
    sizes = [phrase for band in size_bands() for phrase in band.phrases]  # "which large councils are good?"
    return frozenset(tokenize(" ".join([*read_lines("route_words.txt"), *(p for p, _ in type_phrases()), *cues,
                                        *sizes])))
# A question about change over time also hears this many of the reports' own sentences about the change.
CHANGE_QUOTES = 3
# Below this closeness to every visit's stated focus, a topic is not one the visits looked at.
COVERAGE_FLOOR = 0.35
# An answer whose best excerpt the ranker gives at least this probability is not second-guessed by the focus check
# (a visit's focus, as extracted, can be Ofsted's stock opening rather than what it looked at).
CONFIDENT = 0.1


class Router:
    """Chooses the answer for each question by its kind, and answers it from the question's own snapshot."""

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer
        self.reader = answerer.reader

    @property
    def knowledge(self):
        """The knowledge questions are read against."""
        return self.reader.knowledge

    def question(self, text: str, given: Filters | None = None, *, thread: Filters | None = None,
                 snapshot: Snapshot | None = None, classify: bool = True) -> Question:
        """Read a question once, where it enters: what every answerer then reads."""
        return self.reader.question(text, given, thread=thread, snapshot=snapshot, classify=classify)

    def ask(self, text: str, filters: Filters | None = None) -> Answer:
        """Read a question and answer it: for callers with the words alone (the command line, the evaluation)."""
        return self.answer(self.question(text, filters))

    def answer(self, question: Question) -> Answer:
        """Answer one question by the kind of answer it asks for."""
        started = time.perf_counter()
        kind, scope, parsed = question.kind, question.scope, question.parsed
        answer = ranked = None
        if not question.refusal and kind == Kind.IMPROVEMENT and len(scope.local_authorities) <= MAX_NAMED:
            ranked = self.answerer.answer(question)
            answer = improvement_list(question.snapshot, scope, parsed.years, ranked.excerpts)
        elif not question.refusal and kind != Kind.QUOTES and len(scope.local_authorities) <= MAX_NAMED:
            # "Which LAs have good real-time data?", "lancs permanence tracker - when was it brought in?": a topic
            # of its own makes a list or fact question one for quotes, whatever grade or fact words it uses.
            own = kind in (Kind.GRADES_LIST, Kind.FACTS) and self._own_topic(question)
            answer = None if own else self._structured(question)
            if answer is not None and answer.answered and kind == Kind.GRADES and question.comparative:
                # "Has X improved?": after the grades, what the reports say about the change, in their words.
                said = self.answerer.answer(question)
                extra = [e for e in said.excerpts if e.chunk_id not in {x.chunk_id for x in answer.excerpts}]
                head = answer.excerpts[:CHANGE_QUOTES]
                answer = replace(answer, excerpts=head + extra[:CHANGE_QUOTES] + answer.excerpts[CHANGE_QUOTES:])
        if answer is None:  # the quotes already worked out for an improvement list that found none are reused
            answer = self._quotes(question, ranked)
        if answer.answered and parsed.latest and len(scope.local_authorities) == 1:
            answer = replace(answer, reason=f"{answer.reason.rstrip('. ')}. {latest_line(question.snapshot, scope)}")
        log.debug("router.answered", route=answer.route, ms=round((time.perf_counter() - started) * 1000))
        return answer

    def passages(self, question: Question, **options) -> list[Excerpt]:
        """Material for theme summaries, from the quotes answerer."""
        return self.answerer.passages(question, **options)

    @staticmethod
    def _own_topic(question: Question) -> bool:
        """True when the question's rarest topic words are not the words of grades, areas, change or facts."""
        parsed = question.parsed
        places = set(tokenize(" ".join(parsed.local_authorities + parsed.regions)))
        return bool(set(question.own_terms) - route_words() - places)

    @staticmethod
    def _structured(question: Question) -> Answer | None:
        knowledge, kind, scope, parsed = question.snapshot, question.kind, question.scope, question.parsed
        if kind == Kind.GRADES_LIST:
            return grades_across(knowledge, scope, parsed.text, parsed.years)
        if kind == Kind.GRADES:
            return council_grades(knowledge, scope, parsed.text, parsed.years, question.comparative)
        if kind == Kind.FACTS and len(scope.local_authorities) == 1:
            return report_facts(knowledge, scope, parsed.text, parsed.years)
        return None

    def _quotes(self, question: Question, ranked: Answer | None = None) -> Answer:
        answer = ranked or self.answerer.answer(question)
        scope, parsed = answer.scope, question.parsed
        if answer.answered and self._uncovered(answer, question):
            answer = Answer(False, "couldn't find", scope=scope)
        if answer.answered or not scope.local_authorities or answer.excerpts or "couldn't find" not in answer.reason:
            return answer
        # Refused for a council we hold: say which reports are held and what each covered.
        topic = parsed.topic_text
        for expansion in parsed.expansions:
            topic = topic.replace(expansion, " ")
        topic = " ".join(w for w in topic.split() if tokenize(w))[:80].strip(" ?!.,-")
        held = [held_line(question.snapshot, la) for la in scope.local_authorities]
        return Answer(False, messages.not_covered(" and ".join(scope.local_authorities), held, topic), scope=scope)

    def _uncovered(self, answer: Answer, question: Question) -> bool:
        """A council held only through focused visits, none about the topic, and no excerpt using its words.

        A full inspection covers every area, so this applies only when every report held is a visit with a
        stated focus; the topic must be far from every focus, and the excerpts must miss its rarest words.
        """
        scope, parsed, knowledge = answer.scope, question.parsed, question.snapshot
        if len(scope.local_authorities) != 1 or max(e.score for e in answer.excerpts) >= CONFIDENT:
            return False
        held = holdings(knowledge, scope.local_authorities[0])
        others = [r for r in knowledge.reports.values()
                  if r.local_authority == scope.local_authorities[0] and r.secondary]
        # A news item may cover anything, and a focus that is Ofsted's stock wording says nothing about the visit.
        if not held or others or any(not is_focused_visit(r.report_type) or not r.structure.focus
                                     or knowledge.stock_share(r.structure.focus.text) for r in held):
            return False
        text = " ".join(e.text for e in answer.excerpts).lower()
        # An abbreviation's expansion counts only whole: "multi-agency" alone is not the MASH.
        if any(expansion.lower() in text for expansion in parsed.expansions):
            return False
        spelt = {t for expansion in parsed.expansions for t in tokenize(expansion)}
        if (set(question.own_terms) - spelt) & set(tokenize(text)):
            return False
        vectors = self.reader.embed([parsed.topic_text, *(r.structure.focus.text for r in held)])
        return float((vectors[1:] @ vectors[0]).max()) < COVERAGE_FLOOR
