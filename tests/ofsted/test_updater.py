"""`findings sync` against a loopback Ofsted site: new reports fetched once, held ones linked, faults contained."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.cli.support import cli_env
from tests.conftest import KNOWLEDGE, REPO
from tests.ofsted_site import ofsted_site

KINGSTON, BIRMINGHAM, PLYMOUTH = "80545", "80429", "80538"
HELD = "birmingham-focused-visit-2020-03-13"  # in the knowledge folder without its link


@pytest.fixture
def knowledge(tmp_path):
    """A knowledge folder holding one report (a focused visit whose catalogue row has no URL)."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(KNOWLEDGE / f"{HELD}.md", folder)
    with (KNOWLEDGE / "catalogue.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["slug"] == HELD]
    with (folder / "catalogue.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return folder


def _site(site):
    """Three councils' pages: two new reports, one held report's link, and a publication the sync does not take."""
    site.add(KINGSTON, "focused_visit", date(2019, 4, 11), "kingston-upon-thames-focused-visit-2019-04-11.pdf")
    site.add(BIRMINGHAM, "focused_visit", date(2020, 3, 13), "kingston-upon-thames-focused-visit-2019-04-11.pdf")
    site.add(BIRMINGHAM, "Area SEND inspection", date(2023, 6, 1), "plymouth-ilacs-2024-03-15.pdf")
    site.add(PLYMOUTH, "ilacs_inspection", date(2024, 3, 15), "plymouth-ilacs-2024-03-15.pdf")


def _sync(settings, knowledge, site, *args, **env):
    extra = {"KNOWLEDGE_DIR": str(knowledge), "OFSTED_URL": site.url, "SYNC_PAUSE": "0", "SYNC_RETRIES": "2", **env}
    councils = [a for name in ("Kingston upon Thames", "Birmingham", "Plymouth") for a in ("--council", name)]
    return CliRunner().invoke(main, ["sync", *councils, "--json", *args], env=cli_env(settings, **extra))


def _catalogue(folder) -> list[dict]:
    with (folder / "catalogue.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_new_reports_are_fetched_catalogued_and_ingested_once_and_held_ones_get_their_link(settings, knowledge):
    """Two new PDFs land with catalogue rows and URLs, the held visit gets its link, and a second run asks each page
    once, conditionally, and ingests nothing."""
    CliRunner().invoke(main, ["ingest", str(knowledge)], env=cli_env(settings))  # held, without its link
    with ofsted_site() as site:
        _site(site)
        first = _sync(settings, knowledge, site)
        assert first.exit_code == 0, first.output
        run = json.loads(first.stdout)
        added = {row["id"]: row for row in run["added"]}
        assert set(added) == {"kingston-upon-thames-focused-visit-2019-04-11", "plymouth-ilacs-2024-03-15"}
        assert [row["id"] for row in run["linked"]] == [HELD] and run["ingested"]["added"] == 2
        assert all((knowledge / f"{rid}.pdf").is_file() for rid in added)
        rows = {row["slug"]: row for row in _catalogue(knowledge)}
        assert rows["plymouth-ilacs-2024-03-15"]["source_url"] == added["plymouth-ilacs-2024-03-15"]["url"]
        assert rows["plymouth-ilacs-2024-03-15"]["publication_date"] == "2024-03-15"
        assert len(site.to("/v1/file/")) == 2  # the held visit's PDF and the SEND report are never fetched
        sources = json.loads(CliRunner().invoke(main, ["sources", "--json"], env=cli_env(settings)).stdout)
        urls = {row["id"]: row["url"] for row in sources}
        assert urls[HELD] == run["linked"][0]["url"] and urls["plymouth-ilacs-2024-03-15"].startswith(site.url)
        grades = {row["id"]: row for row in sources}["plymouth-ilacs-2024-03-15"]
        assert grades["report_type"] == "ilacs_inspection" and grades["overall_effectiveness"]

        listing = CliRunner().invoke(main, ["sources"], env=cli_env(settings, KNOWLEDGE_DIR=str(knowledge))).stdout
        assert "Last sync from Ofsted's site" in listing and "3 councils checked, 2 reports added, 1 links" in listing
        before = len(site.seen)
        again = json.loads(_sync(settings, knowledge, site).stdout)
        assert again["added"] == [] and again["ingested"] is None and again["unchanged"] == 3
        repeat = site.seen[before:]
        assert len(repeat) == 3 and all(s.status == 304 and s.headers.get("If-None-Match") for s in repeat)
        assert all("Findings/" in s.headers["User-Agent"] for s in site.seen)


def test_a_changed_page_a_429_and_a_500_each_say_what_happened_and_the_rest_goes_on(settings, knowledge):
    """Plymouth's page without links is one error naming it and its URL; Kingston's 429 (Retry-After) and its PDF's
    500 are retried and the report lands."""
    with ofsted_site() as site:
        _site(site)
        site.reshaped.add(PLYMOUTH)
        site.fail(f"/provider/44/{KINGSTON}", (429, 1))
        kingston_pdf = site.pages[KINGSTON][0].file
        site.fail(f"/v1/file/{kingston_pdf}", (500, None))
        started = time.monotonic()
        result = _sync(settings, knowledge, site)
        assert result.exit_code == 1
        run = json.loads(result.stdout)
        assert [row["id"] for row in run["added"]] == ["kingston-upon-thames-focused-visit-2019-04-11"]
        (error,) = run["errors"]
        assert error["local_authority"] == "Plymouth" and f"/provider/44/{PLYMOUTH}" in error["error"]
        assert "no publication links" in error["error"] and "Traceback" not in result.output
        assert time.monotonic() - started >= 1.0  # the Retry-After was waited out
        assert [s.status for s in site.to(f"/provider/44/{KINGSTON}")] == [429, 200]
        assert not list(knowledge.glob("plymouth*"))


def test_a_timeout_and_a_truncated_pdf_leave_the_knowledge_as_it_was(settings, knowledge):
    """A page slower than the timeout (every try) and a PDF cut short are one line each; nothing partial lands."""
    with ofsted_site() as site:
        _site(site)
        site.fail(f"/provider/44/{KINGSTON}", ("delay", 2), ("delay", 2), ("delay", 2))
        site.fail(f"/v1/file/{site.pages[PLYMOUTH][0].file}", ("truncate",))
        result = _sync(settings, knowledge, site, SYNC_TIMEOUT="0.5")
        run = json.loads(result.stdout)
        assert result.exit_code == 1 and run["added"] == []
        errors = {row["local_authority"]: row["error"] for row in run["errors"]}
        assert "ReadTimeout after 3 tries" in errors["Kingston upon Thames"]
        assert "download broke off" in errors["Plymouth"] or "bytes arrived" in errors["Plymouth"]
        assert sorted(p.name for p in knowledge.iterdir() if p.name != ".sync") == [f"{HELD}.md", "catalogue.csv"]
        assert len(_catalogue(knowledge)) == 1


def test_a_run_killed_mid_download_and_run_again_ends_as_one_clean_run(settings, knowledge, tmp_path):
    """kill -9 while a PDF streams leaves no report behind; the next run ends with the same files and rows as a
    clean run into another folder."""
    clean = tmp_path / "clean"
    shutil.copytree(knowledge, clean)
    with ofsted_site() as site:
        _site(site)
        site.fail(f"/v1/file/{site.pages[KINGSTON][0].file}", ("slow", 0.4))
        env = {**os.environ, **cli_env(settings, KNOWLEDGE_DIR=str(knowledge), OFSTED_URL=site.url, SYNC_PAUSE="0")}
        process = subprocess.Popen([sys.executable, "-m", "bot", "sync", "--council", "Kingston upon Thames",
                                    "--council", "Plymouth"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(knowledge.glob(".*.part")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(knowledge.glob(".*.part")), "the download never started"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert not list(knowledge.glob("*.pdf")) and len(_catalogue(knowledge)) == 1
        resumed = _sync(settings, knowledge, site)
        assert resumed.exit_code == 0, resumed.output
        other = settings.model_copy(update={"chroma_path": tmp_path / "clean-chroma"})
        assert _sync(other, clean, site).exit_code == 0

    def state(folder):
        files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
        return files, sorted((r["slug"], r["source_url"]) for r in _catalogue(folder))

    assert state(knowledge) == state(clean)
    assert not list(knowledge.glob(".*.part"))
