"""A loopback stand-in for Ofsted's site: provider pages in its structure and real PDFs, every request recorded.

Pages list each report as `<a class="publication-link" href=…><span class="nonvisual">Children's services
inspection, PDF - 09 May 2025</span></a>`, newest first, with an ETag answered by 304. Faults are queued per path:
a status (with Retry-After), a delay longer than the client's timeout, a truncated body, a slow stream.
"""

import hashlib
import threading
import time
from collections import defaultdict, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.conftest import REPO

PDFS = REPO / "tests" / "fixtures" / "pdfs"
KINDS = {"ilacs_inspection": "Children's services inspection", "focused_visit": "Children's services focused visit",
         "monitoring_visit": "Children's services monitoring visit"}


@dataclass
class Listed:
    """One publication on a provider page."""

    kind: str  # a report type key, or any other description for a publication the sync must skip
    published: date
    file: str  # the name under /v1/file/

    def text(self) -> str:
        """The nonvisual description, as Ofsted writes it."""
        return f"{KINDS.get(self.kind, self.kind)}, PDF - {self.published.strftime('%d %B %Y')}"


@dataclass
class Seen:
    """One request the site answered."""

    path: str
    headers: dict[str, str]
    status: int


@dataclass
class OfstedSite:
    """The site's content and faults; `url` is set once it serves."""

    pages: dict[str, list[Listed]] = field(default_factory=dict)  # by URN, newest first
    files: dict[str, bytes] = field(default_factory=dict)
    faults: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    reshaped: set[str] = field(default_factory=set)  # URNs whose page has lost its publication links
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def add(self, urn: str, kind: str, published: date, pdf: str) -> str:
        """List a real PDF on a council's page (newest first); returns its file URL."""
        name = f"{hashlib.sha1(f'{urn}{kind}{published}'.encode()).hexdigest()[:10]}"
        self.files[name] = (PDFS / pdf).read_bytes()
        self.pages.setdefault(urn, []).append(Listed(kind, published, name))
        self.pages[urn].sort(key=lambda item: item.published, reverse=True)
        return f"{self.url}/v1/file/{name}"

    def page(self, urn: str) -> str:
        """A provider page in Ofsted's structure."""
        if urn in self.reshaped:
            return "<html><body><h1>Reports</h1><div class='report-list'>moved</div></body></html>"
        items = "".join(
            f'<li><a class="publication-link" href="{self.url}/v1/file/{item.file}">'
            f'<span class="icon"></span>Report<span class="nonvisual">{item.text()}</span></a></li>'
            for item in self.pages.get(urn, []))
        return f"<html><body><h1>Provider {urn}</h1><ul class='publications'>{items}</ul></body></html>"

    def fail(self, path: str, *faults) -> None:
        """Queue faults for the next requests to a path: (status, retry_after), ("delay", s), ("truncate",),
        ("slow", seconds per 8 KB)."""
        self.faults[path].extend(faults)

    def to(self, prefix: str) -> list[Seen]:
        """The requests whose path starts with a prefix."""
        return [s for s in self.seen if s.path.startswith(prefix)]


class _Handler(BaseHTTPRequestHandler):
    site: OfstedSite

    def log_message(self, *_args) -> None:
        pass

    def do_GET(self) -> None:
        site = self.site
        fault = site.faults[self.path].popleft() if site.faults.get(self.path) else None
        # Recorded before the answer is sent, so a test that has its answer also sees its record.
        record = Seen(self.path, dict(self.headers), 200)
        site.seen.append(record)
        try:
            if fault and isinstance(fault[0], int):
                record.status = fault[0]
                self.send_response(fault[0])
                if len(fault) > 1 and fault[1] is not None:
                    self.send_header("Retry-After", str(fault[1]))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if fault and fault[0] == "delay":
                time.sleep(fault[1])
            if self.path.startswith("/provider/44/"):
                body = site.page(self.path.rsplit("/", 1)[-1]).encode()
                tag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == tag:
                    record.status = 304
                    self.send_response(304)
                    self.send_header("ETag", tag)
                    self.end_headers()
                    return
                self._send(body, "text/html; charset=utf-8", {"ETag": tag})
            elif self.path.startswith("/v1/file/") and self.path.rsplit("/", 1)[-1] in site.files:
                self._send(site.files[self.path.rsplit("/", 1)[-1]], "application/pdf", {}, fault)
            else:
                record.status = 404
                self._send(b"not found", "text/plain", {}, status=404)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, body: bytes, kind: str, headers: dict, fault=None, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if fault and fault[0] == "truncate":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if fault and fault[0] == "slow":
            for at in range(0, len(body), 8192):
                self.wfile.write(body[at : at + 8192])
                self.wfile.flush()
                time.sleep(fault[1])
            return
        self.wfile.write(body)


@contextmanager
def ofsted_site():
    """Serve a fresh site on a loopback port for the length of the block."""
    site = OfstedSite()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def copy_pdf(name: str, folder: Path) -> Path:
    """A fixture PDF copied into a folder (a report someone put there by hand)."""
    target = folder / name
    target.write_bytes((PDFS / name).read_bytes())
    return target
