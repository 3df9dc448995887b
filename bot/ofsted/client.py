"""Reading someone else's site politely: one request at a time, a pause between, conditional pages, bounded retries.

Every request names the bot and a contact in its User-Agent and has a timeout. A provider page is asked for with
the ETag and Last-Modified it last had, so an unchanged page costs a 304. 429 and 5xx answers, timeouts and
dropped connections are retried with exponential backoff, honouring Retry-After. A PDF is streamed to a hidden
part file beside its destination, refused past the size cap or when it is not a whole PDF, and only then renamed
into place: a partial download never lands in the knowledge folder.
"""

from __future__ import annotations

import email.utils
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import structlog

from bot import __version__
from bot.errors import InputError

log = structlog.get_logger()

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_WAIT = 600.0  # seconds: a Retry-After longer than this gives up on the request rather than stall the run
BACKOFF = 2.0  # seconds before the first retry, doubling after each


class FetchError(InputError):
    """A request that failed for good: the reason is one line naming the URL."""


@dataclass(frozen=True)
class Page:
    """A page as fetched: its text (empty when unchanged since the validators given) and its new validators."""

    url: str
    changed: bool
    text: str
    etag: str
    modified: str


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    when = email.utils.parsedate_to_datetime(value) if value else None
    return max(0.0, when.timestamp() - time.time()) if when else None


class Polite:
    """An HTTP client for one sync run, pausing `pause` seconds between requests."""

    def __init__(self, *, pause: float, timeout: float, retries: int, contact: str,
                 transport: httpx.BaseTransport | None = None, sleep: Callable[[float], None] = time.sleep) -> None:
        agent = f"Findings/{__version__} (children's services knowledge bot" + (f"; {contact}" if contact else "") + ")"
        self.http = httpx.Client(headers={"User-Agent": agent}, timeout=timeout, follow_redirects=True,
                                 transport=transport)
        self.pause, self.retries, self.sleep = pause, retries, sleep
        self.requests = 0
        self._last = 0.0

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def _wait_turn(self) -> None:
        gap = self._last + self.pause - time.monotonic()
        if gap > 0:
            self.sleep(gap)
        self._last = time.monotonic()

    def _send(self, url: str, headers: dict[str, str], stream: bool = False) -> httpx.Response:
        """One request, retried on 429, 5xx, timeouts and dropped connections; any other failure is final."""
        for attempt in range(self.retries + 1):
            self._wait_turn()
            self.requests += 1
            wait = BACKOFF * 2 ** attempt
            try:
                request = self.http.build_request("GET", url, headers=headers)
                response = self.http.send(request, stream=stream)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                reason = f"{type(error).__name__}"
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                reason = f"HTTP {response.status_code}"
                wait = max(wait, _retry_after(response) or 0.0)
                response.close()
            if attempt == self.retries or wait > MAX_WAIT:
                raise FetchError(f"{url}: {reason} after {attempt + 1} tries")
            log.info("ofsted.retry", status=reason, attempt=attempt + 1, wait_s=round(wait, 1))
            self.sleep(wait)
        raise FetchError(f"{url}: no answer")  # not reached: the loop returns or raises

    def page(self, url: str, etag: str = "", modified: str = "") -> Page:
        """A page, asked for conditionally: unchanged since `etag`/`modified` comes back with changed=False."""
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", modified)) if v}
        response = self._send(url, headers)
        if response.status_code == 304:
            return Page(url, False, "", etag, modified)
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        return Page(url, True, response.text, response.headers.get("etag", ""),
                    response.headers.get("last-modified", ""))

    def download(self, url: str, destination: Path, max_bytes: int) -> int:
        """Save a PDF at `destination` whole or not at all; returns its size."""
        part = destination.with_name(f".{destination.name}.part")
        response = self._send(url, {}, stream=True)
        try:
            if response.status_code != 200:
                raise FetchError(f"{url}: HTTP {response.status_code}")
            declared = int(response.headers.get("content-length") or 0)
            if declared > max_bytes:
                raise FetchError(f"{url}: {declared:,} bytes is over the {max_bytes:,}-byte limit")
            size = 0
            with part.open("wb") as out:
                for block in response.iter_bytes():
                    size += len(block)
                    if size > max_bytes:
                        raise FetchError(f"{url}: over the {max_bytes:,}-byte limit")
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            if declared and size != declared:
                raise FetchError(f"{url}: {size:,} of {declared:,} bytes arrived")
            _check_pdf(part, url)
            os.replace(part, destination)  # same folder, so the file appears whole or not at all
            return size
        except httpx.HTTPError as error:
            raise FetchError(f"{url}: download broke off ({type(error).__name__})") from None
        finally:
            response.close()
            part.unlink(missing_ok=True)


def _check_pdf(path: Path, url: str) -> None:
    """A whole PDF starts with %PDF- and has %%EOF near its end; a truncated one lacks the end."""
    with path.open("rb") as handle:
        head = handle.read(5)
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise FetchError(f"{url}: not a whole PDF ({'no %PDF- header' if head != b'%PDF-' else 'no %%EOF at its end'})")
