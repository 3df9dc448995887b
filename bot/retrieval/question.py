"""A question, read once where it enters: its words, what they name, its scope, its snapshot, its meaning and kind.

Slack, the command line and the evaluation each build one `Question` with `Reader.question` and hand it on; the
router dispatches on its kind and every answerer reads it, so nothing downstream parses, scopes, embeds or pins
a snapshot again.
"""

from dataclasses import dataclass, field

import numpy as np

from bot.answer import Filters
from bot.embedder import Embedder
from bot.language.areas import OVERALL_KEY
from bot.language.grades import NAMED_GRADE
from bot.retrieval.cues import asks_method, asks_ofsted, comparative, elliptical, not_topic_words
from bot.retrieval.intent import (
    IntentModel,
    Kind,
    answer_kind,
    best_route,
    intent_features,
    leaning,
    load_intent_model,
)
from bot.retrieval.keyword import tokenize
from bot.retrieval.query import ParsedQuery, parse_query
from bot.retrieval.scope import question_scope
from bot.retrieval.snapshot import Snapshot

# When a question is all cue ("Dorset 2025: how was it graded?") the kind of question says what to look for.
KIND_TOPICS = {
    Kind.GRADES: f"{OVERALL_KEY} judgement grade",
    Kind.IMPROVEMENT: "what needs to improve",
    Kind.OVERVIEW: "headline findings",
}
# The topic's rarest words, which an answer should contain; fewer chunks than this means slang or a typo.
KEY_TERMS = 2
MIN_KEY_CHUNKS = 3
# At most this many councils named get a grades or facts answer; more is a comparison for quotes.
MAX_NAMED = 3


@dataclass(frozen=True)
class Question:
    """One question as read: everything an answerer needs to know about it, worked out once."""

    text: str
    parsed: ParsedQuery
    snapshot: Snapshot  # the one knowledge snapshot every part of the answer reads
    given: Filters = field(default_factory=Filters)  # the caller's filters (a thread's, a command's options)
    scope: Filters = field(default_factory=Filters)
    refusal: str = ""  # set when the question is refused at once (no such council, a place outside England)
    routes: dict[Kind, float] = field(default_factory=dict)  # the intent model's probability for each kind
    kind: Kind = Kind.QUOTES  # the kind of answer the question gets
    frame_vector: np.ndarray | None = None  # the embedding of what kind of answer it wants (its frame)
    topic: str = ""  # what to search for: the topic, or the kind's own words when the question is all cue
    topic_vector: np.ndarray | None = None
    key_terms: tuple[str, ...] = ()  # the topic's rarest words: an answer on the topic would use them
    own_terms: tuple[str, ...] = ()  # the same for the question's own words alone, whatever its kind
    # Where the quotes path looks besides retrieval: the judgement table, the improvement list, the headline.
    looks_for: Kind = Kind.QUOTES
    lean: dict[str, float] = field(default_factory=dict)  # how strongly it asks for grades, improvements, …
    comparative: bool = False  # it compares reports over time
    asks_ofsted: bool = False  # it asks what Ofsted said, so no secondary source answers
    asks_method: bool = False  # it asks how the inspection was done, so a visit's method text may answer


def topic_of(parsed: ParsedQuery, looks_for: Kind) -> str:
    """What to search for: the topic without the places, years and cues that filters and the kind handle."""
    if tokenize(parsed.topic_text):
        return parsed.topic_text
    return KIND_TOPICS.get(looks_for, parsed.search_text)


def key_terms(snapshot: Snapshot, topic: str) -> tuple[str, ...]:
    """The topic's KEY_TERMS rarest words (abbreviations expanded), which an answer on that topic would use."""
    index = snapshot.index
    # Words that name the report or the time ("FV", "SIF", "Jan") and words hardly any report uses (slang,
    # typos) say nothing about the topic.
    terms = {t for t in tokenize(topic) if t not in not_topic_words() and index.frequency(t) >= MIN_KEY_CHUNKS}
    return tuple(sorted(terms, key=lambda t: (-index.idf(t), t))[:KEY_TERMS])


def carry(previous: Filters, parsed: ParsedQuery) -> Filters:
    """The filters for a follow-up in a thread: each one the question does not set itself is the thread's."""
    names_time = bool(parsed.years or parsed.since or parsed.until)
    return Filters(
        local_authorities=() if parsed.local_authorities else previous.local_authorities,
        since=None if names_time else previous.since,
        until=None if names_time else previous.until,
        report_type=None if parsed.report_type else previous.report_type,
        regions=() if parsed.regions or parsed.local_authorities else previous.regions,
        follows=previous.follows,
        neighbours_of="" if parsed.local_authorities or parsed.regions else previous.neighbours_of,
        size="" if parsed.local_authorities or parsed.regions else previous.size,
    )


def adjusted(kind: Kind, parsed: ParsedQuery, given: Filters) -> Kind:
    """Grades of named councils are one council's grades; grades with none named are a list across councils.

    An elliptical follow-up in a thread ("and for care leavers?") that asks for no kind of its own keeps the kind
    of the answer it follows.
    """
    if kind == Kind.QUOTES and given.follows and given.follows != Kind.QUOTES and elliptical(parsed.text):
        kind = Kind(given.follows)
    named = given.local_authorities or parsed.local_authorities
    if parsed.neighbours_of:  # "which of Reading's neighbours…": Reading is where the list starts, not its subject
        named = tuple(la for la in parsed.local_authorities if la != parsed.neighbours_of)
    if (parsed.neighbours_of or parsed.size) and not named and NAMED_GRADE.search(parsed.text):
        return Kind.GRADES_LIST  # "which large councils are inadequate?": a grade across a group is a list
    if kind == Kind.GRADES_LIST and named:
        return Kind.GRADES
    if kind == Kind.GRADES and not named:
        return Kind.GRADES_LIST
    if kind in (Kind.FACTS, Kind.IMPROVEMENT) and not named:
        return Kind.QUOTES  # "which councils were told to improve X" is a search across the lists
    return kind


class Reader:
    """Reads questions against the knowledge: parses, scopes, pins a snapshot, embeds and classifies, once each."""

    def __init__(self, knowledge, embedder: Embedder, intents: IntentModel | None = None) -> None:
        self.knowledge = knowledge  # a Knowledge (the latest snapshot on each question) or one Snapshot
        self.embedder = embedder
        self.intents = intents or load_intent_model()

    def question(self, text: str, given: Filters | None = None, *, thread: Filters | None = None,
                 snapshot: Snapshot | None = None, classify: bool = True) -> Question:
        """Read one question; in a thread, the filters it does not set itself are the thread's (`thread`).

        `classify=False` reads a topic for quotes alone (a theme summary): no intent model, no kind.
        """
        snapshot = snapshot or self.snapshot()
        parsed = parse_query(text)
        given = carry(thread, parsed) if thread is not None else given or Filters()
        frame, routes = self.routes(parsed) if classify else (None, {})
        scope, refusal = question_scope(snapshot, parsed, given)
        kind = adjusted(answer_kind(routes), parsed, given) if routes else Kind.QUOTES
        looks_for, lean = best_route(routes).looks_for, leaning(routes)
        topic = topic_of(parsed, looks_for)
        vector = None if refusal else self.embedder.embed([topic])[0]
        return Question(text, parsed, snapshot, given, scope, refusal, routes, kind, frame, topic, vector,
                        key_terms(snapshot, topic), key_terms(snapshot, topic_of(parsed, Kind.QUOTES)), looks_for,
                        lean, comparative(parsed), asks_ofsted(parsed.text), asks_method(text, lean["method"]))

    def snapshot(self) -> Snapshot:
        """The knowledge as it is now, pinned for one question."""
        return self.knowledge if isinstance(self.knowledge, Snapshot) else self.knowledge.snapshot()

    def routes(self, parsed: ParsedQuery) -> tuple[np.ndarray, dict[Kind, float]]:
        """The question's frame embedding, and how likely each kind of answer is (the intent model over it)."""
        vector = self.embedder.embed([parsed.frame_text or parsed.text])[0]
        return vector, self.intents.probabilities(intent_features(vector, parsed))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts an answer compares with the question (a visit's stated focus)."""
        return self.embedder.embed(texts)
