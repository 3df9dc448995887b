"""One sync run: each council's provider page read, its new reports fetched, catalogued and ingested.

A report is held when its file URL is in the knowledge folder's catalogue (so one copied in by hand with its URL is
not fetched twice). A link to a report already held without a URL (same council, type and publication date) gives
that report its URL and fetches nothing. Each new PDF lands whole (`client.Polite.download`) before its catalogue
row is written, and the catalogue is rewritten through a rename: a run killed at any point and run again ends with
the same knowledge as one clean run. A council whose page fails or has changed shape is one line in the result;
the others go on.
"""

from __future__ import annotations

import csv
import datetime
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import structlog

from bot.errors import InputError
from bot.ingest.catalogue import CATALOGUE_NAME
from bot.language.neighbours import Council
from bot.language.reports import report_type
from bot.ofsted.client import Polite
from bot.ofsted.ledger import Ledger
from bot.ofsted.pages import Publication, ShapeError, read_page
from bot.report import Report

log = structlog.get_logger()

COLUMNS = ("slug", "local_authority", "report_type", "inspection_dates", "publication_date", "title", "source_url",
           "source_repo_and_path", "overall_effectiveness", "words")
PROVIDER_PATH = "provider/44/{urn}"  # 44: Ofsted's provider type for local authority children's services


@dataclass
class CouncilSync:
    """What one council's page gave: unchanged, checked, or an error; the reports it added and linked."""

    council: str
    url: str
    outcome: str = "checked"  # "unchanged" (304), "checked", "error"
    added: list[dict] = field(default_factory=list)  # catalogue rows
    linked: list[tuple[str, str]] = field(default_factory=list)  # (report id, url) for reports held without one
    error: str = ""


@dataclass
class SyncRun:
    """A whole run: per council, then what was ingested; `to_json` is what `findings sync --json` prints."""

    started: str
    councils: list[CouncilSync] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    ingested: dict | None = None
    dry_run: bool = False

    @property
    def added(self) -> list[dict]:
        """Every catalogue row this run added."""
        return [row for c in self.councils for row in c.added]

    def to_json(self) -> dict:
        """The run as one JSON object."""
        return {"started": self.started, "dry_run": self.dry_run, "requests": self.requests,
                "seconds": round(self.seconds, 2), "checked": len(self.councils),
                "unchanged": sum(c.outcome == "unchanged" for c in self.councils),
                "added": [{"id": r["slug"], "local_authority": r["local_authority"], "report_type": r["report_type"],
                           "published": r["publication_date"], "url": r["source_url"]} for r in self.added],
                "linked": [{"id": rid, "url": url} for c in self.councils for rid, url in c.linked],
                "errors": [{"local_authority": c.council, "url": c.url, "error": c.error}
                           for c in self.councils if c.error],
                "ingested": self.ingested}


def provider_url(base: str, council: Council) -> str:
    """A council's provider page on Ofsted's site (or a mirror at `base`)."""
    return base.rstrip("/") + "/" + PROVIDER_PATH.format(urn=council.urn)


def slug_for(council: str, publication: Publication) -> str:
    """The file stem a fetched report gets: 'reading-focused-visit-2023-10-17', as the shipped reports are named."""
    name = re.sub(r"[^a-z0-9]+", "-", council.lower().replace("’", "").replace("'", "")).strip("-")
    return f"{name}-{report_type(publication.report_type).slug}-{publication.published}"


def read_catalogue(folder: Path) -> list[dict[str, str]]:
    """The knowledge folder's catalogue rows as written (no aliases), in file order."""
    path = folder / CATALOGUE_NAME
    if not path.is_file():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def set_urls(folder: Path, urls: dict[str, str]) -> None:
    """Give catalogue rows their links (by slug), so the next ingest carries them too."""
    rows = read_catalogue(folder)
    if any(row.get("slug") in urls for row in rows):
        write_catalogue(folder, [{**row, "source_url": urls.get(row.get("slug", ""), row.get("source_url", ""))}
                                 for row in rows])


def append_rows(folder: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to the catalogue."""
    write_catalogue(folder, [*read_catalogue(folder), *rows])


def write_catalogue(folder: Path, rows: list[dict[str, str]]) -> None:
    """Write the catalogue whole through a rename, so it is never half written."""
    columns = list(dict.fromkeys([*(rows[0].keys() if rows else ()), *COLUMNS]))
    temporary = folder / f".{CATALOGUE_NAME}.tmp"
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({column: row.get(column, "") for column in columns})
    os.replace(temporary, folder / CATALOGUE_NAME)


@dataclass
class Holdings:
    """What is held already: file URLs, and report ids and links by (council, type, publication date)."""

    urls: set[str]
    by_key: dict[tuple[str, str, str], tuple[str, str]]

    @classmethod
    def of(cls, catalogue: list[dict[str, str]], reports: list[Report]) -> Holdings:
        """From the reports in the store and the knowledge folder's catalogue (whose rows win: they are ingested)."""
        by_key = {(r.local_authority, r.report_type, r.published): (r.id, r.url) for r in reports}
        by_key |= {(row.get("local_authority", ""), row.get("report_type", ""), row.get("publication_date", "")):
                   (row.get("slug", ""), row.get("source_url", "")) for row in catalogue if row.get("slug")}
        urls = {url for _, url in by_key.values() if url}
        return cls(urls, by_key)


def sync_council(council: Council, client: Polite, ledger: Ledger, held: Holdings, folder: Path, *, base: str,
                 since: str, dry_run: bool, max_bytes: int) -> CouncilSync:
    """Read one council's page and fetch what is new; any failure is this council's one line, not the run's."""
    url = provider_url(base, council)
    result = CouncilSync(council.name, url)
    before = ledger.pages.get(url, {})
    try:
        page = client.page(url, before.get("etag", ""), before.get("modified", ""))
        if not page.changed:
            result.outcome = "unchanged"
            return result
        links, listed = read_page(page.text, url)
        if not links:
            had = before.get("links", 0)
            raise ShapeError("the page has no publication links" + (f" where it had {had}" if had else "") +
                             ": its shape may have changed")
        for publication in listed:
            if (since and publication.published < since) or publication.url in held.urls:
                continue
            same = held.by_key.get((council.name, publication.report_type, publication.published))
            if same is not None:
                if not same[1]:  # held without its link (a focused visit from the national corpus)
                    result.linked.append((same[0], publication.url))
                continue
            row = _fetch(council, publication, client, folder, dry_run, max_bytes)
            held.urls.add(publication.url)
            result.added.append(row)
        if not dry_run:
            ledger.pages[url] = {"etag": page.etag, "modified": page.modified, "links": links}
    except (InputError, OSError) as error:  # FetchError and ShapeError are InputErrors: one line each
        message = str(error) if isinstance(error, InputError) else f"{type(error).__name__}: {error}"
        result.outcome, result.error = "error", message if message.startswith(url) else f"{url}: {message}"
        log.warning("ofsted.council_failed", council=council.name, reason=type(error).__name__)
    return result


def _fetch(council: Council, publication: Publication, client: Polite, folder: Path, dry_run: bool,
           max_bytes: int) -> dict[str, str]:
    """Download one report into the knowledge folder and catalogue it (only catalogued once the file is whole)."""
    slug = slug_for(council.name, publication)
    row = {"slug": slug, "local_authority": council.name, "report_type": publication.report_type,
           "publication_date": publication.published, "source_url": publication.url,
           "source_repo_and_path": f"synced {datetime.date.today().isoformat()}"}
    if not dry_run:
        client.download(publication.url, folder / f"{slug}.pdf", max_bytes)
        append_rows(folder, [row])
    return row


def run_sync(councils: list[Council], client: Polite, folder: Path, reports: list[Report], *, base: str,
             since: str = "", dry_run: bool = False, max_bytes: int,
             ingest: Callable[[], dict] | None = None, link: Callable[[str, str], bool] | None = None) -> SyncRun:
    """Sync the councils in turn; ingest the knowledge folder when anything new landed or was not yet ingested;
    give held reports found without a link their URL (`link`)."""
    started = time.perf_counter()
    run = SyncRun(datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"), dry_run=dry_run)
    for debris in folder.glob(".*.part"):  # a killed run's partial download: never a report, always redone
        debris.unlink(missing_ok=True)
    ledger = Ledger.load(folder)
    catalogue = read_catalogue(folder)
    held = Holdings.of(catalogue, reports)
    for council in councils:
        done = sync_council(council, client, ledger, held, folder, base=base, since=since, dry_run=dry_run,
                            max_bytes=max_bytes)
        run.councils.append(done)
        if done.linked and not dry_run:
            set_urls(folder, dict(done.linked))
            for report_id, url in done.linked if link is not None else ():
                link(report_id, url)
        if not dry_run:
            ledger.save()  # per council, so an interrupted run does not ask again for pages it finished
    stored = {r.id for r in reports}
    pending = [row["slug"] for row in read_catalogue(folder)
               if row.get("slug") and row["slug"] not in stored and (folder / f"{row['slug']}.pdf").is_file()]
    if not dry_run and ingest is not None and (run.added or pending):
        run.ingested = ingest()
    run.requests, run.seconds = client.requests, time.perf_counter() - started
    if not dry_run:
        ledger.last_run = {k: v for k, v in run.to_json().items() if k != "ingested"}
        ledger.save()
    return run
