"""A real Chroma server for tests: the `chroma run` that ships with chromadb, on loopback and a free port.

tests/conftest.py registers these fixtures for every test (pytest_plugins). The session server is shared;
tests keep apart by using their own collection names (`chroma_collection`). A test that needs to stop and
start a server (a restart test) makes its own `ChromaServer` so the shared one is never interrupted.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ports import free_port

CHROMA = Path(sys.executable).parent / "chroma"
HEARTBEAT = "/api/v2/heartbeat"
START_TIMEOUT = 20.0
STOP_TIMEOUT = 10.0


def heartbeat(url: str, timeout: float = 1.0) -> bool:
    """True when the server at `url` answers its heartbeat."""
    try:
        with urllib.request.urlopen(url + HEARTBEAT, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class ChromaServer:
    """One `chroma run` process persisting to `path` on 127.0.0.1:`port`; stop and start keep both."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.log_path = path.parent / f"{path.name}-server.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The address a client uses, as CHROMA_URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process is not None and self.process.poll() is None

    def start(self, timeout: float = START_TIMEOUT) -> str:
        """Start the server and wait until its heartbeat answers; returns the URL."""
        if self.running:
            return self.url
        if not CHROMA.is_file():
            pytest.fail(f"no chroma executable at {CHROMA}: install chromadb into this interpreter's environment")
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if heartbeat(self.url):
                return self.url
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        pytest.fail(f"chroma server on port {self.port} did not answer {HEARTBEAT} within {timeout:.0f} s:\n{tail}")

    def stop(self) -> None:
        """Terminate the server and wait for it to exit; kill it if it will not."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        self.process = None

    def restart(self) -> str:
        """Stop the server and start it again on the same path and port; returns the URL."""
        self.stop()
        return self.start()


def unique_collection(prefix: str = "t") -> str:
    """A collection name no other test uses, valid for Chroma (letters, digits, dashes)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A real Chroma server for the whole session, stopped (and waited for) at the end."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def chroma_url(chroma_server: ChromaServer) -> str:
    """The session server's URL, restarted first if an earlier test left it down."""
    return chroma_server.start()


@pytest.fixture
def chroma_collection() -> str:
    """A collection name of this test's own on the shared server."""
    return unique_collection()
