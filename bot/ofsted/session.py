"""One sync run wired to the settings: Ofsted's site (or a stand-in), the pace and limits, the store and ingest."""

from __future__ import annotations

from bot.embedder import model_files
from bot.ingest.workers import start_workers
from bot.language.neighbours import Council, by_name
from bot.ofsted.client import Polite
from bot.ofsted.updater import SyncRun, run_sync
from bot.settings import Settings
from bot.store.client import open_store
from bot.store.sync import ingest


def every_council() -> list[Council]:
    """Every council the bot knows that has an Ofsted URN, by name."""
    return [council for _, council in sorted(by_name().items()) if council.urn]


def sync_now(settings: Settings, councils: list[Council], since: str = "", dry_run: bool = False) -> SyncRun:
    """Sync the councils, ingesting what lands into the configured store and linking held reports."""
    store = open_store(settings, model_files(settings).model_id)
    reports = [stored.report for stored in store.reports().values()]
    settings.knowledge_dir.mkdir(parents=True, exist_ok=True)
    client = Polite(pause=settings.sync_pause, timeout=settings.sync_timeout, retries=settings.sync_retries,
                    contact=settings.sync_contact)

    def ingest_folder() -> dict:
        workers = start_workers(settings)
        try:
            return ingest([settings.knowledge_dir], store, workers, max_bytes=settings.max_file_bytes,
                          max_pages=settings.max_pdf_pages).to_json()
        finally:
            workers.close()

    try:
        return run_sync(councils, client, settings.knowledge_dir, reports, base=settings.ofsted_url, since=since,
                        dry_run=dry_run, max_bytes=settings.max_file_bytes, ingest=ingest_folder,
                        link=store.set_url)
    finally:
        client.close()
