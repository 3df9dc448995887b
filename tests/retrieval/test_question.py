"""Tests for reading a question once: its filters in a thread, its kind, and what it carries to the answerers."""

import pytest

from bot.answer import Filters
from bot.retrieval.intent import Kind
from bot.retrieval.query import parse_query
from bot.retrieval.question import adjusted, carry

DORSET = Filters(("Dorset",), 2019, 2023, "focused_visit")


@pytest.mark.parametrize(("question", "expected"), [
    ("and care leavers?", DORSET),
    ("what about Essex?", Filters((), 2019, 2023, "focused_visit")),
    ("and in 2021?", Filters(("Dorset",), None, None, "focused_visit")),
    ("what did the ILACS inspection say?", Filters(("Dorset",), 2019, 2023, None)),
    ("how about Kent since 2020?", Filters((), None, None, "focused_visit")),
])
def test_follow_up_keeps_each_filter_it_does_not_set_itself(question, expected):
    """A follow-up keeps the thread's council, years and report type, except those it names itself."""
    assert carry(DORSET, parse_query(question)) == expected


def test_follow_up_keeps_the_threads_route_and_region_unless_it_names_a_place():
    """The earlier answer's route always carries; its region carries until the follow-up names a place."""
    previous = Filters(regions=("North West",), follows="grades_list")
    assert carry(previous, parse_query("and for care leavers?")) == previous
    assert carry(previous, parse_query("what about Essex?")) == Filters(follows="grades_list")
    assert carry(previous, parse_query("and in London?")) == Filters(follows="grades_list")


def test_nothing_to_carry_stays_nothing():
    """After an unfiltered answer, a follow-up carries no filters."""
    assert carry(Filters(), parse_query("and care leavers?")) == Filters()


def test_named_councils_decide_between_one_councils_grades_and_a_list():
    """Grades with a council named are that council's; with none, a list across councils; facts need a council."""
    assert adjusted(Kind.GRADES_LIST, parse_query("Dorset grades"), Filters()) == Kind.GRADES
    assert adjusted(Kind.GRADES, parse_query("which are outstanding?"), Filters()) == Kind.GRADES_LIST
    assert adjusted(Kind.FACTS, parse_query("who led it?"), Filters()) == Kind.QUOTES
    assert adjusted(Kind.FACTS, parse_query("who led it?"), Filters(("Dorset",))) == Kind.FACTS


def test_an_elliptical_follow_up_keeps_the_kind_it_follows():
    """'and for care leavers?' after a grades answer is a grades question; a full question chooses its own kind."""
    previous = Filters(("Dorset",), follows="grades")
    assert adjusted(Kind.QUOTES, parse_query("and for care leavers?"), previous) == Kind.GRADES
    assert adjusted(Kind.QUOTES, parse_query("what did inspectors say about supervision?"), previous) == Kind.QUOTES


@pytest.mark.parametrize(("kind", "answer", "looks_for"), [
    (Kind.QUOTES, Kind.QUOTES, Kind.QUOTES), (Kind.OVERVIEW, Kind.QUOTES, Kind.OVERVIEW),
    (Kind.METHOD, Kind.QUOTES, Kind.QUOTES), (Kind.OTHER, Kind.QUOTES, Kind.QUOTES),
    (Kind.GRADES, Kind.GRADES, Kind.GRADES), (Kind.GRADES_LIST, Kind.GRADES_LIST, Kind.GRADES),
    (Kind.IMPROVEMENT, Kind.IMPROVEMENT, Kind.IMPROVEMENT), (Kind.FACTS, Kind.FACTS, Kind.QUOTES),
])
def test_each_kind_says_which_answer_it_gets_and_where_quotes_look(kind, answer, looks_for):
    """One vocabulary: every route names the answer it gets and the place in a report the quotes path reads."""
    assert (kind.answer, kind.looks_for) == (answer, looks_for)


def test_a_question_is_read_once_with_everything_its_answerers_need(answerer):
    """The reader pins one snapshot and works out scope, kind, topic vector and key terms for the answerers."""
    question = answerer.reader.question("How are care leavers supported in Essex?")
    assert question.scope.local_authorities == ("Essex",) and not question.refusal
    assert question.snapshot is not None and question.snapshot.fingerprint
    assert question.kind == Kind.QUOTES and abs(sum(question.routes.values()) - 1) < 1e-5
    assert question.topic_vector is not None and question.frame_vector is not None
    assert "leavers" in question.key_terms or "leaver" in question.key_terms


def test_a_question_for_a_council_not_held_is_refused_before_any_embedding_of_its_topic(answerer):
    """A council outside England is refused at once, and nothing retrieves for it."""
    question = answerer.reader.question("What did inspectors say about Cardiff's child protection work?")
    assert question.refusal and question.topic_vector is None
    assert not answerer.answer(question).answered


def test_a_topic_read_for_quotes_alone_skips_the_intent_model(answerer):
    """A theme's topic is read without classifying: its kind is quotes and it has no frame embedding."""
    question = answerer.reader.question("supervision", classify=False)
    assert question.kind == Kind.QUOTES and question.routes == {} and question.frame_vector is None
