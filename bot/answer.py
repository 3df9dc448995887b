"""What the answer engine returns: verbatim excerpts with their reports, or an honest refusal."""

from dataclasses import dataclass, field

from bot.report import Report


@dataclass(frozen=True)
class Filters:
    """Restrictions from the user or the question: one LA, a year range, a report type."""

    local_authorities: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    report_type: str | None = None
    regions: tuple[str, ...] = ()  # English regions, for a question across the councils of one or more
    # In a thread, the route of the earlier answer: an elliptical follow-up ("and for care leavers?") keeps it.
    follows: str | None = None
    neighbours_of: str = ""  # a council whose ten statistical neighbours the question is across
    size: str = ""  # a size band of councils ("large"), by population aged 0–25

    def __bool__(self) -> bool:
        return bool(self.local_authorities or self.since or self.until or self.report_type or self.regions
                    or self.neighbours_of or self.size)


@dataclass(frozen=True)
class Excerpt:
    """One to three adjacent sentences cut by offsets from a report's source text."""

    text: str
    report: Report
    section: str
    score: float
    start: int
    end: int
    chunk_id: str = ""
    label: str = ""  # in an answer about change over time, the report it comes from ("2018 focused visit")

    def to_json(self) -> dict:
        """The excerpt as `findings ask --json` prints it."""
        r = self.report
        return {
            "text": self.text,
            "label": self.label,
            "report": {
                "id": r.id, "title": r.title, "local_authority": r.local_authority, "type": r.report_type,
                "publisher": r.publisher, "published": r.published, "url": r.url,
            },
            "section": self.section,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """Either excerpts that answer the question, or `answered=False` and a reason saying why not."""

    answered: bool
    reason: str
    excerpts: list[Excerpt] = field(default_factory=list)
    scope: Filters = field(default_factory=Filters)  # the filters the answer was given under
    route: str = "quotes"  # which kind of answer the router chose: quotes, grades_list, grades, improvement, facts

    def to_json(self) -> dict:
        """The answer as `findings ask --json` prints it."""
        return {"answered": self.answered, "reason": self.reason, "route": self.route,
                "excerpts": [e.to_json() for e in self.excerpts]}
