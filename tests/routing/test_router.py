"""Tests for the router on the real engine over the shipped knowledge base: each question gets its kind of answer."""

import csv

import pytest

from bot.answer import Filters
from bot.evaluation.metrics import is_verbatim
from bot.language.grades import GRADES, OVERALL
from bot.leaders.standing import LISTED
from bot.routing.router import Router
from tests.conftest import KNOWLEDGE
from tests.retrieval.test_answerer import source_text


@pytest.fixture(scope="module")
def router(answerer) -> Router:
    """The router in front of the shipped engine."""
    return Router(answerer)


def _verbatim(answer) -> bool:
    return all(is_verbatim(e.text, source_text(e.report.id)) and
               source_text(e.report.id)[e.start : e.end] == e.text for e in answer.excerpts)


def test_which_councils_are_outstanding_lists_each_with_its_quoted_grade(router):
    """'Which councils are outstanding?' lists councils whose latest graded inspection says so, each row quoted."""
    answer = router.ask("which councils are outstanding?")
    assert answer.route == "grades_list" and answer.answered
    assert answer.excerpts and all("outstanding" in e.text.lower() for e in answer.excerpts)
    assert len(answer.excerpts) <= LISTED and _verbatim(answer)
    latest = {r.local_authority: r for r in sorted(router.knowledge.reports.values(), key=lambda r: r.published)
              if r.report_type in ("ilacs_inspection", "sif_inspection") and r.judgements}
    for excerpt in answer.excerpts:  # every council listed is outstanding at its latest graded inspection
        assert latest[excerpt.report.local_authority].id == excerpt.report.id


@pytest.mark.parametrize("grade", GRADES)
def test_each_grade_lists_exactly_the_councils_the_catalogue_and_judgements_give(router, grade):
    """'Which councils are <grade>?' names every council whose latest graded report has it, and no other."""
    catalogue = {row["slug"]: row["overall_effectiveness"]
                 for row in csv.DictReader((KNOWLEDGE / "catalogue.csv").open(encoding="utf-8"))}
    latest = {}
    for report in sorted(router.knowledge.reports.values(), key=lambda r: r.published):
        if report.report_type in ("ilacs_inspection", "sif_inspection") and report.judgements:
            latest[report.local_authority] = report
    expected = {la for la, r in latest.items() if r.judgements.get(OVERALL) == grade}
    assert all((catalogue[r.id] == grade) == (la in expected) for la, r in latest.items() if catalogue[r.id])
    answer = router.ask(f"which councils are {grade.lower()}?")
    names = {name.split(" (", 1)[0] for name in answer.reason.split("\n")[1].split("; ")}
    assert answer.route == "grades_list" and names == expected


def test_a_judgement_area_and_grade_list_uses_that_row(router):
    """'Inadequate for help and protection' lists the help-and-protection rows that say inadequate."""
    answer = router.ask("which LAs were judged inadequate for help and protection?")
    assert answer.route == "grades_list" and answer.answered
    assert all("help and protection" in e.text.lower() and "inadequate" in e.text.lower() for e in answer.excerpts)


def test_a_region_narrows_the_list(router):
    """Naming a region lists only its councils."""
    answer = router.ask("which councils in the north west are good?")
    assert answer.route == "grades_list" and answer.scope.regions == ("North West",)
    from bot.language.groups import councils_in
    assert answer.excerpts and all(e.report.local_authority in councils_in("North West") for e in answer.excerpts)


@pytest.mark.parametrize("since", [2015, 2017])
def test_one_councils_history_is_told_grade_by_grade_with_quotes(router, since):
    """'Has Norfolk improved since 2017?' starts from the grade Norfolk held then (2015) and quotes each grade."""
    answer = router.ask(f"has Norfolk improved since {since}?")
    assert answer.route == "grades" and answer.answered
    assert "Inadequate 2015" in answer.reason and "Outstanding 2026" in answer.reason and "→" in answer.reason
    reports = {e.report.id for e in answer.excerpts}
    assert {"norfolk-sif-inspection-2015-10-19", "norfolk-ilacs-2026-05-18"} <= reports and _verbatim(answer)


def test_an_overall_result_in_a_year_is_that_reports_headline(router):
    """'Manchester's overall result in 2017' quotes the SIF headline of that year."""
    answer = router.ask("what was Manchester's overall result in 2017?")
    assert answer.route == "grades" and answer.excerpts
    assert answer.excerpts[0].text.startswith("Children’s services in Manchester require improvement")


def test_new_wording_of_an_improvement_question_gets_the_list(router):
    """'What does Luton still need to work on?' quotes the items of the latest report's list."""
    answer = router.ask("what does Luton still need to work on?")
    assert answer.route == "improvement" and len(answer.excerpts) >= 2
    items = {s.text for s in router.knowledge.reports[answer.excerpts[0].report.id].structure.improvements}
    assert all(e.text in items for e in answer.excerpts) and _verbatim(answer)


def test_the_lead_inspector_is_named_from_the_report(router):
    """'Who is the lead inspector for Dorset 2025?' names the inspector and quotes the line naming them."""
    answer = router.ask("who was the lead inspector for Dorset in 2025?")
    report = router.knowledge.reports["dorset-ilacs-2025-05-09"]
    assert answer.route == "facts" and report.lead_inspector and report.lead_inspector in answer.reason
    assert answer.excerpts and report.lead_inspector in answer.excerpts[0].text and _verbatim(answer)


def test_what_is_held_for_a_council_lists_each_report(router):
    """'What reports do you have on Essex?' lists both visits and what each covered."""
    answer = router.ask("what reports do you have on Essex?")
    assert answer.route == "facts" and answer.answered
    assert answer.reason.count("focused visit") >= 2


@pytest.mark.parametrize("question", ["what did ofsted say about the front door in essex?",
                                      "how is the MASH in Essex?"])
def test_a_topic_a_councils_reports_do_not_cover_is_refused_with_what_they_cover(router, question):
    """The front door in Essex: refused, naming the two focused visits held and what each looked at."""
    answer = router.ask(question)
    assert not answer.answered and not answer.excerpts
    assert "Essex" in answer.reason and answer.reason.count("focused visit") >= 2
    assert "care leavers" in answer.reason and "pre-proceedings" in answer.reason


def test_quotes_still_answer_practice_questions_and_json_names_the_route(router):
    """A practice question takes the quotes path, and the answer's JSON says which route it took."""
    answer = router.ask("how are care leavers' PAs doing in Essex?", Filters())
    assert answer.route == "quotes" and answer.answered and answer.to_json()["route"] == "quotes"


def test_a_list_question_about_a_topic_of_its_own_is_answered_with_quotes(router):
    """'Which LAs have good real-time data?' uses a grade word but asks about data: quotes, not a grade list."""
    answer = router.ask("which LAs have good real-time performance data?")
    assert answer.route == "quotes"


def test_a_confident_answer_is_not_refused_for_a_visit_whose_focus_reads_as_stock(router):
    """Solihull is held through one visit whose extracted focus is Ofsted's opening; a well-supported answer
    about exploitation at 18 is given, not refused as uncovered."""
    answer = router.ask("does solihull's exploitation support stop when young people turn 18?")
    assert answer.answered and answer.excerpts and _verbatim(answer)


def test_was_an_inspection_short_is_a_fact_read_from_its_dates(router):
    """'Was Dorset's 2025 inspection a short one?' names the framework and quotes the dates it is read from."""
    answer = router.ask("was Dorset's 2025 inspection a short one?")
    assert answer.route == "facts" and "short ILACS inspection" in answer.reason
    assert answer.excerpts and "17 March to 21 March 2025" in answer.excerpts[0].text and _verbatim(answer)


def test_a_2026_inspection_says_it_has_no_overall_grade_where_one_would_stand(router):
    """Liverpool's history shows its 2026 inspection on the overall line as having no overall grade, in words."""
    answer = router.ask("Liverpool's grades over time")
    assert answer.route == "grades"
    overall = next(line for line in answer.reason.splitlines() if line.startswith("Overall effectiveness"))
    assert "Inadequate 2023" in overall and "no overall grade (2026 framework) 2026" in overall
    assert "standard inspection under the 2026 framework" in answer.reason


def _latest_overall(knowledge, councils) -> dict[str, str]:
    """Each council's latest graded inspection's overall grade, worked out from the reports directly."""
    latest = {}
    for report in sorted(knowledge.reports.values(), key=lambda r: (r.published, r.id)):
        if report.local_authority in councils and report.report_type in ("ilacs_inspection", "sif_inspection") \
                and report.judgements:
            latest[report.local_authority] = report.judgements.get(OVERALL, "")
    return latest


@pytest.mark.parametrize("question", [
    "which of Reading's neighbours are outstanding?", "which of Reading's statistical neighbours are good?",
    "list Reading's stat neighbours judged requires improvement", "are any of Reading's neighbours inadequate?",
])
def test_a_grade_across_a_councils_neighbours_lists_exactly_those_neighbours_with_it(router, question):
    """The list holds the neighbours whose latest graded inspection has the grade, and no other council."""
    from bot.language.neighbours import neighbours
    from bot.leaders.standing import grades_named

    answer = router.ask(question)
    assert answer.route == "grades_list" and answer.scope.neighbours_of == "Reading"
    ten = {c.name for c in neighbours("Reading")}
    wanted = grades_named(question)[0]
    expected = {la for la, grade in _latest_overall(router.answerer.knowledge, ten).items() if grade == wanted}
    listed = {e.report.local_authority for e in answer.excerpts}
    assert listed == expected and listed <= ten
    assert "Reading's 10 statistical neighbours" in answer.reason


def test_a_size_band_narrows_the_list_and_each_council_shows_its_region_size_and_framework(router):
    """'Which large councils are inadequate?' lists only large councils, each with region, size and framework."""
    from bot.language.groups import region_of, size_of

    answer = router.ask("which large councils are inadequate?")
    assert answer.route == "grades_list" and answer.scope.size == "large" and answer.excerpts
    for excerpt in answer.excerpts:
        la = excerpt.report.local_authority
        assert size_of(la) == "large"
        assert f"{la} (" in answer.reason and region_of()[la] in answer.reason
    assert "large council)" in answer.reason and "ILACS inspection" in answer.reason
