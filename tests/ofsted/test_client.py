"""The polite client against the loopback site: its pace, its conditional pages and its whole-or-nothing PDFs."""

import time
from datetime import date

import pytest

from bot.ofsted.client import FetchError, Polite
from tests.ofsted_site import ofsted_site


def _client(**options) -> Polite:
    return Polite(**{"pause": 0.0, "timeout": 5.0, "retries": 2, "contact": "ops@council.example", **options})


def test_requests_keep_the_pause_between_them_and_name_the_bot_and_its_contact():
    """Three requests with a 0.3 s pause take at least 0.6 s, and each carries the User-Agent with the contact."""
    with ofsted_site() as site:
        client = _client(pause=0.3)
        started = time.monotonic()
        for _ in range(3):
            client.page(f"{site.url}/provider/44/1")
        assert time.monotonic() - started >= 0.6
        assert all("ops@council.example" in s.headers["User-Agent"] for s in site.seen)


def test_a_page_unchanged_since_its_etag_costs_a_304_and_no_text():
    """The second fetch sends If-None-Match and gets changed=False."""
    with ofsted_site() as site:
        site.add("1", "focused_visit", date(2023, 6, 22), "kingston-upon-thames-focused-visit-2019-04-11.pdf")
        client = _client()
        first = client.page(f"{site.url}/provider/44/1")
        second = client.page(f"{site.url}/provider/44/1", first.etag, first.modified)
        assert first.changed and first.etag and not second.changed and second.text == ""
        assert [s.status for s in site.seen] == [200, 304]


def test_a_pdf_over_the_cap_or_cut_short_never_lands(tmp_path):
    """The size cap and a truncated body each raise one line naming the URL, and leave no file or part file."""
    with ofsted_site() as site:
        url = site.add("1", "focused_visit", date(2023, 6, 22), "kingston-upon-thames-focused-visit-2019-04-11.pdf")
        client = _client()
        with pytest.raises(FetchError, match="limit"):
            client.download(url, tmp_path / "a.pdf", max_bytes=1000)
        site.fail(url.removeprefix(site.url), ("truncate",))
        with pytest.raises(FetchError, match=url):
            client.download(url, tmp_path / "a.pdf", max_bytes=10**7)
        assert list(tmp_path.iterdir()) == []
        assert client.download(url, tmp_path / "a.pdf", max_bytes=10**7) == len(site.files[url.rsplit("/", 1)[-1]])


def test_a_404_is_final_and_not_retried():
    """Only 429, 5xx and broken connections are retried: a 404 is one request and one clear error."""
    with ofsted_site() as site:
        with pytest.raises(FetchError, match="HTTP 404"):
            _client().page(f"{site.url}/nowhere")
        assert len(site.seen) == 1
