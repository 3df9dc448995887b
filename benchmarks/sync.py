"""What a sync costs when nothing is new: every council's page asked once, conditionally, and no ingest.

Serves a provider page for each of the 153 councils on a loopback stand-in for Ofsted's site (tests/ofsted_site.py),
each listing one report the knowledge folder already holds by URL. The first run reads every page (200) and fetches
nothing; the second finds every page unchanged (304). Prints requests, seconds and what was fetched for each run.

Usage: PYTHONPATH=. python benchmarks/sync.py [--pause 0]
"""

import argparse
import csv
import tempfile
import time
from datetime import date
from pathlib import Path

from bot.language.neighbours import by_name
from bot.ofsted.client import Polite
from bot.ofsted.session import every_council
from bot.ofsted.updater import COLUMNS, run_sync
from tests.ofsted_site import ofsted_site


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pause", type=float, default=0.0, help="SYNC_PAUSE for the run (2 s in production).")
    args = parser.parse_args()
    councils = every_council()
    with ofsted_site() as site, tempfile.TemporaryDirectory() as folder:
        knowledge = Path(folder)
        rows = []
        pdf = "kingston-upon-thames-focused-visit-2019-04-11.pdf"
        for council in councils:
            url = site.add(council.urn, "focused_visit", date(2024, 1, 15), pdf)
            rows.append({"slug": f"held-{council.la_code}", "local_authority": council.name,
                         "report_type": "focused_visit", "publication_date": "2024-01-15", "source_url": url})
        with (knowledge / "catalogue.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        ingests = []
        for label in ("first run (pages new to the ledger)", "second run (nothing new)"):
            client = Polite(pause=args.pause, timeout=10, retries=2, contact="benchmark")
            before = len(site.seen)
            started = time.perf_counter()
            run = run_sync(councils, client, knowledge, [], base=site.url, max_bytes=25 * 2**20,
                           ingest=lambda: ingests.append(1) or {})
            seconds = time.perf_counter() - started
            seen = site.seen[before:]
            statuses = sorted({s.status for s in seen})
            print(f"{label}: {len(councils)} councils, {len(seen)} requests (statuses {statuses}), "
                  f"{sum(s.path.startswith('/v1/file/') for s in seen)} PDFs fetched, {len(run.added)} added, "
                  f"{len(run.to_json()['errors'])} errors, ingest runs {len(ingests)}; {seconds:.2f} s "
                  f"({seconds / len(councils) * 1000:.1f} ms a council)")
            client.close()
    print(f"{len(by_name())} councils in the lookup; {len(councils)} with an Ofsted URN")


if __name__ == "__main__":
    main()
