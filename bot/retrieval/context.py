"""The question's side of ranking: the `Context` every candidate sentence is measured against."""

from bot.answer import Filters
from bot.retrieval.cues import FOCUS_CUE
from bot.retrieval.intent import Kind
from bot.retrieval.polarity import question_polarity
from bot.retrieval.query import ParsedQuery
from bot.retrieval.ranking import Context, asked_grades, judgement_areas
from bot.retrieval.snapshot import Snapshot


def question_context(knowledge: Snapshot, parsed: ParsedQuery, looks_for: Kind, lean: dict[str, float],
                     scope: Filters, compare: bool) -> Context:
    """What the ranker's features know of the question: leaning, polarity, areas, grades and years."""
    latest: dict[str, str] = {}
    for report in sorted(knowledge.reports.values(), key=lambda r: r.published):
        if not report.secondary:
            latest[report.local_authority] = report.id
    grades = looks_for == Kind.GRADES
    return Context(
        leaning=lean,
        polarity=question_polarity(parsed.text) if looks_for != Kind.IMPROVEMENT else "concern",
        comparative=compare,
        areas=judgement_areas(parsed.text) if grades else (),
        grades=asked_grades(parsed.text) if grades else (),
        asks_focus=bool(FOCUS_CUE.search(parsed.text)),
        single_la=len(scope.local_authorities) == 1,
        past=parsed.past,
        years=parsed.years,
        latest_by_la=latest,
        report_years=knowledge.years,
    )
