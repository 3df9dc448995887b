"""A real `findings serve` replica in its own process, in HTTP mode, pointed at the loopback fake Slack."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.ports import free_port
from tests.slack_fake import BOT_TOKEN, SIGNING_SECRET

READY_TIMEOUT = 180.0


class Replica:
    """`python -m bot serve` with the given settings; `url` is its Events API endpoint."""

    def __init__(self, api_url: str, folder: Path, *, code: Path | None = None, **settings: str) -> None:
        self.port = free_port()
        self.code = code  # another checkout's bot/ to run instead of this one's (for before/after benchmarks)
        folder.mkdir(parents=True, exist_ok=True)
        self.log_path = folder / f"replica-{self.port}.log"
        self.env = {
            **os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": api_url, "HOST": "127.0.0.1", "PORT": str(self.port), "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO", "FEEDBACK_PATH": str(folder / f"feedback-{self.port}.sqlite3"), **settings,
        }
        if code is not None:
            self.env["PYTHONPATH"] = str(code)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """Where Slack posts events."""
        return f"http://127.0.0.1:{self.port}/slack/events"

    def start(self) -> "Replica":
        """Start the process and wait until /healthz answers 200."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=self.code)
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"findings serve exited {self.process.returncode}: {self.log()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"findings serve was not healthy within {READY_TIMEOUT:.0f} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, as a node failure would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, then wait; SIGKILL if it will not go."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        """Everything the replica has logged."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")
