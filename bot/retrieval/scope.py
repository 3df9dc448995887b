"""A question's scope: the councils, years, kind of report and regions it covers, or a reason to refuse at once."""

from bot import messages
from bot.answer import Filters
from bot.language.groups import WE
from bot.language.reports import held_types, label, report_type, report_types
from bot.retrieval.cues import comparative
from bot.retrieval.query import ParsedQuery, other_council, parse_query
from bot.retrieval.snapshot import Snapshot


def question_scope(knowledge: Snapshot, parsed: ParsedQuery, given: Filters) -> tuple[Filters, str]:
    """Work out the filters from the question and the caller; or a reason to refuse at once."""
    known = knowledge.local_authorities
    named = list(given.local_authorities)
    if named:
        # A thread's councils are already the catalogue's names; only a caller's own spelling needs reading.
        named = [la for name in named
                 for la in ((name,) if name in known else parse_query(name).local_authorities or (name,))]
    else:
        named = list(parsed.local_authorities)
    reference = _reference(parsed, given)
    present = [la for la in named if la in known and la != reference]
    if named and not present and not reference:
        return Filters(), messages.no_reports_for(named, len(known))
    if not named and parsed.other_places:
        place = other_council(parsed.other_places[0])
        return Filters(), messages.outside_england(parsed.other_places[0], place["nation"], place["inspectorate"])
    kind = given.report_type or parsed.report_type
    if kind and kind not in held_types():
        known = report_types().get(kind)
        return Filters(), messages.unsupported_type(known.plural if known else kind.replace("_", " "))
    if comparative(parsed) and not given.report_type:
        kind = None  # "since the focused visit" compares it with what came after
    regions = () if present else given.regions or parsed.regions
    size = "" if present else parsed.size or given.size
    return Filters(tuple(present), given.since or parsed.since, given.until or parsed.until, kind, regions,
                   neighbours_of="" if present else reference, size=size), ""


def _reference(parsed: ParsedQuery, given: Filters) -> str:
    """The council whose neighbours a question asks across: named, or for "our neighbours" the thread's one."""
    if parsed.neighbours_of == WE:
        return given.local_authorities[0] if len(given.local_authorities) == 1 else given.neighbours_of
    return parsed.neighbours_of or given.neighbours_of

def nothing_matches(knowledge: Snapshot, scope: Filters, parsed: ParsedQuery) -> str:
    """Why nothing in scope matches: what the councils named hold, of which kinds and years."""
    if not scope.local_authorities:
        return messages.not_found("the reports")
    have = sorted(
        (r for r in knowledge.reports.values() if r.local_authority in scope.local_authorities),
        key=lambda r: r.published,
    )
    listing = [f"{label(r.report_type)} ({r.published})" for r in have]
    years = [y for y in (scope.since, scope.until) if y] or list(parsed.years)
    kind = report_type(scope.report_type).label if scope.report_type else "report"
    return messages.nothing_matches(list(scope.local_authorities), kind, years, listing)
