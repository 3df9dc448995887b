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
from bot.answer import Answer, Filters
from bot.datafiles import read_rows
from bot.leaders.facts import held_line, holdings, improvement_list, report_facts
from bot.leaders.standing import council_grades, grades_across
from bot.retrieval.answerer import Answerer
from bot.retrieval.cues import comparative, elliptical
from bot.retrieval.intent import answer_kind
from bot.retrieval.keyword import tokenize
from bot.retrieval.query import parse_query, report_type_phrases
from bot.retrieval.snapshot import Snapshot

log = structlog.get_logger()
# Words that ask for a grade, a judgement area, a change or a report fact: a question made only of these (and
# places and years) is the structured routes' own; any other rare word is a topic of its own.
ROUTE_WORDS = (
    "outstanding good inadequate requires require improvement improve improved improving improvements ri req imp "
    "grade grades graded grading rated rating rate judged judgement judgements judgment verdict result results "
    "overall effectiveness help protection children child care leavers leaving looked after leaders leadership "
    "impact management governance experiences progress permanence achieving social work practice families "
    "better worse since now still journey changed change moved compare compared inspection inspections "
    "inspector inspectors lead led ofsted council councils authority authorities las la latest last previous "
    "visit visits focused report reports published publication dates date fieldwork held hold"
)


@functools.cache
def route_words() -> frozenset[str]:
    """ROUTE_WORDS, the report-type phrases and the fact cues' phrases, as the index spells them."""
    cues = [row["phrase"] for row in read_rows("fact_cues.csv")]
    return frozenset(tokenize(" ".join([ROUTE_WORDS, *report_type_phrases(), *cues])))
# At most this many councils named get a grades or facts answer; more is a comparison for quotes.
MAX_NAMED = 3
# A question about change over time also hears this many of the reports' own sentences about the change.
CHANGE_QUOTES = 3
# Below this closeness to every visit's stated focus, a topic is not one the visits looked at.
COVERAGE_FLOOR = 0.35
# An answer whose best excerpt the ranker gives at least this probability is not second-guessed by the focus check
# (a visit's focus, as extracted, can be Ofsted's stock opening rather than what it looked at).
CONFIDENT = 0.1


class Router:
    """Chooses the route for each question and answers it; stands in for the Answerer wherever one is used."""

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer

    def at(self, knowledge) -> "Router":
        """The router in front of an engine reading only the given snapshot."""
        return Router(self.answerer.at(knowledge))

    @property
    def knowledge(self):
        """The knowledge snapshot the engine answers from."""
        return self.answerer.knowledge

    def route(self, question: str, filters: Filters | None = None) -> tuple[str, dict[str, float]]:
        """The route for a question, and every route's probability."""
        parsed = parse_query(question)
        routes = self.answerer.routes(parsed)
        return self._adjust(answer_kind(routes), parsed, filters or Filters()), routes

    @staticmethod
    def _adjust(kind: str, parsed, filters: Filters) -> str:
        """Grades of named councils are one council's grades; grades with none named are a list across councils.

        An elliptical follow-up in a thread ("and for care leavers?") that asks for no kind of its own keeps the
        kind of the answer it follows.
        """
        if kind == "quotes" and filters.follows and filters.follows != "quotes" and elliptical(parsed.text):
            kind = filters.follows
        named = filters.local_authorities or parsed.local_authorities
        if kind == "grades_list" and named:
            return "grades"
        if kind == "grades" and not named:
            return "grades_list"
        if kind in ("facts", "improvement") and not named:
            return "quotes"  # "which councils were told to improve X" is a search across the lists
        return kind

    def answer(self, question: str, filters: Filters | None = None) -> Answer:
        """Answer one question by the route it asks for, from one knowledge snapshot throughout."""
        if not isinstance(self.knowledge, Snapshot):
            return self.at(self.knowledge.snapshot()).answer(question, filters)
        started = time.perf_counter()
        parsed = parse_query(question)
        routes = self.answerer.routes(parsed)
        kind = self._adjust(answer_kind(routes), parsed, filters or Filters())
        scope, refusal = self.answerer.scope(parsed, filters or Filters())
        answer = None
        if not refusal and kind == "improvement" and len(scope.local_authorities) <= MAX_NAMED:
            ranked = self.answerer.answer(question, filters, routes)
            answer = improvement_list(self.knowledge, scope, parsed.years, ranked.excerpts)
        elif not refusal and kind != "quotes" and len(scope.local_authorities) <= MAX_NAMED:
            # "Which LAs have good real-time data?", "lancs permanence tracker - when was it brought in?": a topic
            # of its own makes a list or fact question one for quotes, whatever grade or fact words it uses.
            own = kind in ("grades_list", "facts") and self._own_topic(parsed)
            answer = None if own else self._structured(kind, scope, parsed)
            if answer is not None and answer.answered and kind == "grades" and comparative(parsed):
                # "Has X improved?": after the grades, what the reports say about the change, in their words.
                said = self.answerer.answer(question, filters, routes)
                extra = [e for e in said.excerpts if e.chunk_id not in {x.chunk_id for x in answer.excerpts}]
                head = answer.excerpts[:CHANGE_QUOTES]
                answer = replace(answer, excerpts=head + extra[:CHANGE_QUOTES] + answer.excerpts[CHANGE_QUOTES:])
        if answer is None:
            answer = self._quotes(question, filters, routes, parsed)
        log.debug("router.answered", route=answer.route, ms=round((time.perf_counter() - started) * 1000))
        return answer

    def _own_topic(self, parsed) -> bool:
        """True when the question's rarest topic words are not the words of grades, areas, change or facts."""
        places = set(tokenize(" ".join(parsed.local_authorities + parsed.regions)))
        return bool(set(self.answerer.key_terms(parsed)) - route_words() - places)

    def _structured(self, kind: str, scope: Filters, parsed) -> Answer | None:
        knowledge = self.knowledge
        if kind == "grades_list":
            return grades_across(knowledge, scope, parsed.text, parsed.years)
        if kind == "grades":
            return council_grades(knowledge, scope, parsed.text, parsed.years, comparative(parsed))
        if kind == "facts" and len(scope.local_authorities) == 1:
            return report_facts(knowledge, scope, parsed.text, parsed.years)
        return None

    def _quotes(self, question: str, filters: Filters | None, routes: dict[str, float], parsed) -> Answer:
        answer = self.answerer.answer(question, filters, routes)
        scope = answer.scope
        if answer.answered and self._uncovered(answer, parsed):
            answer = Answer(False, "couldn't find", scope=scope)
        if answer.answered or not scope.local_authorities or answer.excerpts or "couldn't find" not in answer.reason:
            return answer
        # Refused for a council we hold: say which reports are held and what each covered.
        topic = parsed.topic_text
        for expansion in parsed.expansions:
            topic = topic.replace(expansion, " ")
        topic = " ".join(w for w in topic.split() if tokenize(w))[:80].strip(" ?!.,-")
        held = [held_line(self.knowledge, la) for la in scope.local_authorities]
        return Answer(False, messages.not_covered(" and ".join(scope.local_authorities), held, topic), scope=scope)

    def _uncovered(self, answer: Answer, parsed) -> bool:
        """A council held only through focused visits, none about the topic, and no excerpt using its words.

        A full inspection covers every area, so this applies only when every report held is a visit with a
        stated focus; the topic must be far from every focus, and the excerpts must miss its rarest words.
        """
        scope = answer.scope
        if len(scope.local_authorities) != 1 or max(e.score for e in answer.excerpts) >= CONFIDENT:
            return False
        held = holdings(self.knowledge, scope.local_authorities[0])
        others = [r for r in self.knowledge.reports.values()
                  if r.local_authority == scope.local_authorities[0] and r.secondary]
        # A news item may cover anything, and a focus that is Ofsted's stock wording says nothing about the visit.
        if not held or others or any(r.report_type != "focused_visit" or not r.structure.focus
                                     or self.knowledge.stock_share(r.structure.focus.text) for r in held):
            return False
        text = " ".join(e.text for e in answer.excerpts).lower()
        # An abbreviation's expansion counts only whole: "multi-agency" alone is not the MASH.
        if any(expansion.lower() in text for expansion in parsed.expansions):
            return False
        spelt = {t for expansion in parsed.expansions for t in tokenize(expansion)}
        if (set(self.answerer.key_terms(parsed)) - spelt) & set(tokenize(text)):
            return False
        vectors = self.answerer.embedder.embed([parsed.topic_text, *(r.structure.focus.text for r in held)])
        return float((vectors[1:] @ vectors[0]).max()) < COVERAGE_FLOOR

    def passages(self, *args, **kwargs):
        """Material for theme summaries, from the answer engine."""
        return self.answerer.passages(*args, **kwargs)
