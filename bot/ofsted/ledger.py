"""What the sync remembers between runs, in the knowledge folder: each page's validators and the last run.

One JSON file (`.sync/ledger.json`, hidden, so ingest never reads it), rewritten whole through a temporary file and
a rename, so a run killed while writing it leaves the last good copy.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

LEDGER = Path(".sync") / "ledger.json"


@dataclass
class Ledger:
    """Validators and link counts per provider page, and the summary of the last run."""

    path: Path
    pages: dict[str, dict] = field(default_factory=dict)
    last_run: dict | None = None

    @classmethod
    def load(cls, knowledge_dir: Path) -> Ledger:
        """The ledger of a knowledge folder; an empty one when there is none yet (or it cannot be read)."""
        path = knowledge_dir / LEDGER
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path)
        return cls(path, dict(data.get("pages") or {}), data.get("last_run"))

    def summary(self) -> str:
        """'Last sync from Ofsted's site 2026-12-07T06:00:00+00:00: 153 councils checked, 2 reports added, …'."""
        last = self.last_run
        if not last:
            return "No sync from Ofsted's site has run yet."
        return (f"Last sync from Ofsted's site {last['started']}: {last['checked']} councils checked, "
                f"{len(last['added'])} reports added, {len(last['linked'])} links found, "
                f"{len(last['errors'])} errors.")

    def save(self) -> None:
        """Write the ledger whole, or not at all."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(json.dumps({"pages": self.pages, "last_run": self.last_run}, indent=1, sort_keys=True),
                             encoding="utf-8")
        os.replace(temporary, self.path)
