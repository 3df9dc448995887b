"""A report's attribution, carried as data from the catalogue or front matter to every quote."""

import json
from dataclasses import asdict, dataclass, field

from bot.structure import Structure

REPORT_TYPES = (
    "ilacs_inspection",
    "focused_visit",
    "monitoring_visit",
    "jtai",
    "sif_inspection",
    "news",
    "other",
)
TYPE_LABELS = {
    "ilacs_inspection": "inspection",
    "focused_visit": "focused visit",
    "monitoring_visit": "monitoring visit",
    "jtai": "joint targeted area inspection",
    "sif_inspection": "inspection (SIF)",
    "news": "news item",
    "other": "report",
}
# Only Ofsted's own documents are primary sources; news and press releases report on them.
SECONDARY_TYPES = frozenset({"news"})


@dataclass(frozen=True)
class Report:
    """One report in the knowledge base and everything needed to attribute a quote from it."""

    id: str
    title: str
    local_authority: str
    report_type: str
    publisher: str
    published: str
    url: str = ""
    inspection_dates: str = ""
    overall_effectiveness: str = ""
    judgements: dict[str, str] = field(default_factory=dict)
    lead_inspector: str = ""
    licence: str = ""
    source_path: str = ""
    # Where the report states its findings (improvement items, headline, a visit's focus), as spans of its text.
    structure: Structure = field(default_factory=Structure)

    @property
    def secondary(self) -> bool:
        """True for news items and press releases, which report on Ofsted rather than being Ofsted."""
        return self.report_type in SECONDARY_TYPES

    @property
    def year(self) -> int | None:
        """The publication year, when the publication date is known."""
        return int(self.published[:4]) if self.published[:4].isdigit() else None

    def to_metadata(self) -> dict[str, str | int | bool]:
        """Flatten to scalar values, as a vector store's metadata requires."""
        flat = asdict(self)
        flat["judgements"] = json.dumps(self.judgements, ensure_ascii=False)
        flat["structure"] = self.structure.dumps()
        flat["year"] = self.year or 0
        flat["secondary"] = self.secondary
        return flat

    @classmethod
    def from_metadata(cls, meta: dict) -> "Report":
        """Rebuild a report from the metadata written by `to_metadata`."""
        names = cls.__dataclass_fields__.keys()
        values = {name: meta.get(name, "") for name in names}
        values["judgements"] = json.loads(meta.get("judgements") or "{}")
        values["structure"] = Structure.loads(meta.get("structure") or "")
        return cls(**{k: (v if v is not None else "") for k, v in values.items()})
