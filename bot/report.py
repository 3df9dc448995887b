"""A report's attribution, carried as data from the catalogue or front matter to every quote, and what its text states.

These are records only: extraction (`bot.ingest.structure`) fills a `Structure`; nothing here reads text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field

from bot.datafiles import read_rows


@dataclass(frozen=True)
class Span:
    """A piece of a report's text and where it sits: `text == source[start:end]`."""

    text: str
    start: int
    end: int

    def to_json(self) -> dict:
        """The span as a JSON object."""
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, data: dict) -> Span:
        """Rebuild a span written by `to_json`."""
        return cls(str(data["text"]), int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class Structure:
    """A report's judgements (canonical name → grade) and the spans where it states its findings."""

    judgements: dict[str, str] = field(default_factory=dict)
    rows: dict[str, Span] = field(default_factory=dict)  # each judgement's name as the report prints it
    improvements: tuple[Span, ...] = ()
    headline: tuple[Span, ...] = ()
    focus: Span | None = None
    inspection_dates: str = ""
    lead_inspector: str = ""

    def to_json(self) -> dict:
        """The structure as one JSON object."""
        return {
            "judgements": self.judgements,
            "rows": {name: span.to_json() for name, span in self.rows.items()},
            "improvements": [s.to_json() for s in self.improvements],
            "headline": [s.to_json() for s in self.headline],
            "focus": self.focus.to_json() if self.focus else None,
            "inspection_dates": self.inspection_dates,
            "lead_inspector": self.lead_inspector,
        }

    @classmethod
    def from_json(cls, data: dict) -> Structure:
        """Rebuild a structure written by `to_json`; missing keys take the defaults."""
        return cls(
            judgements=dict(data.get("judgements") or {}),
            rows={name: Span.from_json(s) for name, s in (data.get("rows") or {}).items()},
            improvements=tuple(Span.from_json(s) for s in data.get("improvements") or ()),
            headline=tuple(Span.from_json(s) for s in data.get("headline") or ()),
            focus=Span.from_json(data["focus"]) if data.get("focus") else None,
            inspection_dates=str(data.get("inspection_dates") or ""),
            lead_inspector=str(data.get("lead_inspector") or ""),
        )

    def dumps(self) -> str:
        """Compact JSON, for a vector store's string-only metadata."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":")) if self != Structure() else ""

    @classmethod
    def loads(cls, text: str) -> Structure:
        """Rebuild from `dumps`; an empty string is an empty structure."""
        return cls.from_json(json.loads(text)) if text else cls()


@functools.cache
def _secondary_types() -> frozenset[str]:
    """Kinds of report that are secondary sources, from the report-type table (bot.language.reports reads the rest:
    records import no stage)."""
    return frozenset(row["key"] for row in read_rows("report_types.csv") if row["secondary"] == "yes")


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
        return self.report_type in _secondary_types()

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
    def from_metadata(cls, meta: dict) -> Report:
        """Rebuild a report from the metadata written by `to_metadata`."""
        names = cls.__dataclass_fields__.keys()
        values = {name: meta.get(name, "") for name in names}
        values["judgements"] = json.loads(meta.get("judgements") or "{}")
        values["structure"] = Structure.loads(meta.get("structure") or "")
        return cls(**{k: (v if v is not None else "") for k, v in values.items()})
