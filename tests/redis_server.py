"""Real Redis for tests: the machine's server on 127.0.0.1:6379, or one a test starts on a free port.

tests/conftest.py registers these fixtures for every test (pytest_plugins). Tests on the machine's server
keep apart by a key prefix of their own (`redis_prefix`) and delete their keys afterwards. A test that stops
and starts Redis (a restart test) runs its own `redis-server --save ''` so the shared one is never touched.
"""

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from tests.ports import free_port

MACHINE_REDIS = "redis://127.0.0.1:6379/0"
START_TIMEOUT = 10.0


def reachable(url: str) -> bool:
    """True when a Redis server answers PING at `url`."""
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


class RedisServer:
    """One `redis-server` process on 127.0.0.1:`port` that keeps nothing on disk; restart keeps the port."""

    def __init__(self, folder: Path, port: int | None = None) -> None:
        self.folder, self.port = folder, port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The address a client uses, as REDIS_URL."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        """Start the server and wait until it answers PING; returns the URL."""
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed: apt-get install redis-server")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if reachable(self.url):
                return self.url
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server on port {self.port} did not answer PING within {START_TIMEOUT:.0f} s")

    def stop(self) -> None:
        """Stop the server and wait for it to exit."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis; the suite fails, never skips, when it is not running."""
    if not reachable(MACHINE_REDIS):
        pytest.fail(f"no Redis at {MACHINE_REDIS}: start it (`redis-server --save '' --daemonize yes`)")
    return MACHINE_REDIS


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own on the machine's Redis, its keys deleted afterwards."""
    prefix = f"findings-test:{uuid.uuid4().hex[:10]}:"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis server of this test's own, which it may stop and start."""
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()
