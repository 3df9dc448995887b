"""A loopback fake of Slack: a Web API that records every call body, a Socket Mode server, and signed requests."""

import hashlib
import hmac
import itertools
import json
import queue
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_sdk import WebClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from bot.settings import Settings
from bot.slack.blocks import MAX_BLOCKS, MAX_FALLBACK, MAX_TEXT
from bot.slack.mrkdwn import length
from bot.slack.server import build_server

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SIGNING_SECRET = "test-signing-secret"
BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0FAKE"


@dataclass
class Call:
    """One request the app made to the fake."""

    method: str
    body: dict
    token: str = ""
    at: float = field(default_factory=time.monotonic)
    fault: str = ""  # the fault this call was answered with: "429", "500", "slow" or "lost"; "" when none


@dataclass(frozen=True)
class Fault:
    """One queued fault: an HTTP error status (nothing applied), or the response held back past the client's timeout."""

    status: int = 0
    retry_after: int | None = None
    delay: float = 0.0
    apply: bool = True  # for a delay: whether Slack carried the call out before the response was lost

    @property
    def kind(self) -> str:
        """How Call.fault names it."""
        return str(self.status) if self.status else ("slow" if self.apply else "lost")


class FakeSlack:
    """Slack's Web API and response_url endpoints on 127.0.0.1, answering from what it has recorded."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict]] = {}
        self.errors: dict[tuple[str, str], str] = {}  # (method, channel) -> Slack error code to return
        self.faults: dict[str, list[Fault]] = {}  # method (or "response_url") -> faults, one taken per call
        self.files: dict[str, dict] = {}  # file id -> what files_upload_v2 sent of it
        self.socket_url = ""
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:
                fake._handle(self)

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @property
    def api_url(self) -> str:
        """The Web API base URL, for WebClient(base_url=...)."""
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response_url that records what is posted to it."""
        return f"{self.base}/response/{name}"

    def client(self) -> WebClient:
        """A WebClient pointed at this fake."""
        return WebClient(base_url=self.api_url, token=BOT_TOKEN, timeout=5)

    def next_ts(self) -> str:
        """A fresh, increasing message ts."""
        return f"1700000{next(self._ts):03d}.000100"

    def seed(self, channel: str, message: dict) -> None:
        """Put a message in a channel, as if someone had posted it."""
        with self._lock:
            self.messages.setdefault(channel, []).append(message)

    def bodies(self, method: str) -> list[dict]:
        """The bodies of every call to one method, in order."""
        with self._lock:
            return [c.body for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[dict]:
        """Wait until `count` calls to `method` are recorded; then return all of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.bodies(method)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"expected {count} call(s) to {method}, got {self.bodies(method)}")

    def settle(self, seconds: float = 0.3) -> None:
        """Give any stray second reply time to arrive, before asserting there was exactly one."""
        time.sleep(seconds)

    def fail_next(self, method: str, *, status: int = 0, retry_after: int | None = None, delay: float = 0.0,
                  apply: bool = True, times: int = 1) -> None:
        """Queue faults for the next `times` calls to `method` ("response_url" for response_url posts).

        status=429 (with retry_after) or 500: answer with that status and carry nothing out, as Slack does.
        delay=seconds: carry the call out (unless apply=False), then hold the response that long, past the client's
        timeout, so the app cannot know whether it worked.
        """
        with self._lock:
            self.faults.setdefault(method, []).extend([Fault(status, retry_after, delay, apply)] * times)

    def delivered(self, method: str) -> list[Call]:
        """The calls to `method` that Slack carried out: those with no fault, and slow ones."""
        with self._lock:
            return [c for c in self.calls if c.method == method and c.fault in ("", "slow")]

    def uploads(self) -> list[dict]:
        """Every file started, in order: filename, alt_txt, length, the bytes, and once shared, where it went."""
        with self._lock:
            return [dict(f) for f in self.files.values()]

    def thread_replies(self, channel: str, thread_ts: str) -> list[dict]:
        """The replies stored in one thread, in order."""
        with self._lock:
            return [m for m in self.messages.get(channel, []) if m.get("thread_ts") == thread_ts]

    # -- the server side --

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urllib.parse.urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        data = request.rfile.read(length) if length else b""
        if url.path.startswith("/upload/"):  # a file's bytes, posted to the URL files.getUploadURLExternal gave
            file_id = url.path.removeprefix("/upload/")
            self._record(Call("file_upload", {"file_id": file_id, "bytes": len(data)}))
            with self._lock:
                self.files[file_id]["data"] = data
            self._reply(request, 200, "OK - " + str(len(data)), "text/plain")
            return
        raw = data.decode("utf-8")
        body: dict = dict(urllib.parse.parse_qsl(url.query))
        if "json" in (request.headers.get("Content-Type") or ""):
            body |= json.loads(raw or "{}")
        elif raw:
            body |= dict(urllib.parse.parse_qsl(raw))
        for key in ("blocks", "metadata", "view", "files"):  # WebClient may send these as JSON strings in a form
            if isinstance(body.get(key), str) and body[key][:1] in "[{":
                body[key] = json.loads(body[key])
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        method = "response_url" if url.path.startswith("/response/") else url.path.removeprefix("/api/")
        with self._lock:
            fault = self.faults[method].pop(0) if self.faults.get(method) else None
        if fault is not None:
            self._fail(request, method, body | ({"_url": url.path} if method == "response_url" else {}), token, fault)
            return
        if url.path.startswith("/response/"):
            self._record(Call("response_url", body | {"_url": url.path}, token))
            self._reply(request, 200, "ok", "text/plain")
            return
        method = url.path.removeprefix("/api/")
        self._record(Call(method, body, token))
        self._reply(request, 200, json.dumps(self._answer(method, body)), "application/json")

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def _fail(self, request: BaseHTTPRequestHandler, method: str, body: dict, token: str, fault: Fault) -> None:
        self._record(Call(method, body, token, fault=fault.kind))
        if fault.status:  # Slack answers 429 and 5xx without carrying the call out
            data = json.dumps({"ok": False, "error": "ratelimited" if fault.status == 429 else "fatal_error"}).encode()
            request.send_response(fault.status)
            if fault.retry_after is not None:
                request.send_header("Retry-After", str(fault.retry_after))
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
            return
        answer = {"ok": True}
        if fault.apply and method != "response_url":
            answer = self._answer(method, body)
        time.sleep(fault.delay)
        with suppress(OSError):  # the client gave up waiting, which is the point
            self._reply(request, 200, json.dumps(answer), "application/json")

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, text: str, kind: str) -> None:
        data = text.encode("utf-8")
        request.send_response(status)
        request.send_header("Content-Type", kind)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def _answer(self, method: str, body: dict) -> dict:
        channel = str(body.get("channel", ""))
        error = self.errors.get((method, channel)) or self.errors.get((method, "*"))
        if error:
            return {"ok": False, "error": error}
        if method == "auth.test":
            return {"ok": True, "url": "https://fake.slack.com/", "team": "Fake", "user": "findings",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": body.get("text", ""),
                       "ts": self.next_ts()}
            for key in ("thread_ts", "metadata", "blocks"):
                if body.get(key):
                    message[key] = body[key]
            self.seed(channel, message)
            return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "views.publish":
            return {"ok": True, "view": body.get("view", {})}
        if method == "conversations.replies":
            with self._lock:
                thread = [m for m in self.messages.get(channel, []) if body.get("ts") in (m["ts"], m.get("thread_ts"))]
            return {"ok": True, "messages": sorted(thread, key=lambda m: m["ts"]), "has_more": False}
        if method == "conversations.history":  # top-level messages, newest first
            with self._lock:
                top = [m for m in self.messages.get(channel, []) if m.get("thread_ts", m["ts"]) == m["ts"]]
            newest = sorted(top, key=lambda m: m["ts"], reverse=True)[: int(body.get("limit") or 100)]
            return {"ok": True, "messages": newest, "has_more": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": self.socket_url}
        if method == "conversations.open":  # a DM with one user: the same channel id for the same user
            return {"ok": True, "channel": {"id": f"D{body.get('users', '')}"}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):06d}"
            with self._lock:
                self.files[file_id] = {"file_id": file_id, "filename": body.get("filename"),
                                       "alt_txt": body.get("alt_txt"), "length": int(body.get("length") or 0),
                                       "data": b"", "channel": None}
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.base}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            with self._lock:
                for shared in body["files"]:
                    self.files[shared["id"]] |= {"channel": body.get("channel_id"), "title": shared.get("title"),
                                                 "thread_ts": body.get("thread_ts"),
                                                 "initial_comment": body.get("initial_comment")}
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in body["files"]]}
        return {"ok": False, "error": "unknown_method"}


class FakeSocket:
    """A Socket Mode server on 127.0.0.1: says hello, hands out envelopes and records what the app sends back."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.outbox: queue.Queue[dict] = queue.Queue()
        self.connected = threading.Event()
        self.server = serve(self._handle, "127.0.0.1", 0, compression=None)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The wss URL apps.connections.open hands out, here plain ws on loopback."""
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/link?ticket=test"

    def _handle(self, conn: ServerConnection) -> None:
        conn.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0FAKE"}}))
        self.connected.set()
        while True:
            try:
                self.received.append(json.loads(conn.recv(timeout=0.02)))
            except TimeoutError:
                pass
            except ConnectionClosed:
                return
            while not self.outbox.empty():
                conn.send(json.dumps(self.outbox.get()))

    def send(self, envelope: dict) -> None:
        """Hand the app an envelope."""
        self.outbox.put(envelope)

    def acks(self, envelope_id: str, timeout: float = 10.0) -> list[dict]:
        """Wait for and return the app's acks of one envelope."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in list(self.received) if m.get("envelope_id") == envelope_id]
            if found:
                return found
            time.sleep(0.01)
        raise AssertionError(f"no ack for {envelope_id}; received {self.received}")


# -- building and signing requests --


def sign(body: str, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    """Slack's v0 signature: HMAC-SHA256 of 'v0:{timestamp}:{body}' with the signing secret."""
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def post_signed(url: str, body: str, content_type: str, *, timestamp: int | None = None, signature: str = "",
                headers: dict | None = None) -> tuple[int, str]:
    """POST a body to the app the way Slack does; returns (status, response text)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    request = urllib.request.Request(url, data=body.encode("utf-8"), method="POST", headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": signature or sign(body, timestamp), **(headers or {}),
    })
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def event_body(event: dict, event_id: str) -> dict:
    """An Events API callback wrapping one event."""
    return {"token": "unused", "team_id": TEAM, "api_app_id": "A0FAKE", "type": "event_callback",
            "event_id": event_id, "event_time": int(time.time()), "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}]}


def message_event(text: str, *, ts: str, channel: str = "C0TEAM", user: str = "U0ASKER", kind: str = "message",
                  channel_type: str = "channel", thread_ts: str = "", **extra) -> dict:
    """A message or app_mention event as Slack sends it."""
    event = {"type": kind, "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts, **extra}
    if kind == "message":
        event["channel_type"] = channel_type
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_form(text: str, response_url: str, *, channel: str = "C0TEAM", user: str = "U0ASKER") -> str:
    """A /findings slash command, form-encoded."""
    return urllib.parse.urlencode({
        "token": "unused", "team_id": TEAM, "channel_id": channel, "channel_name": "team", "user_id": user,
        "user_name": "asker", "command": "/findings", "text": text, "api_app_id": "A0FAKE",
        "response_url": response_url, "trigger_id": "1.2.3",
    })


def action_payload(action_id: str, value: str, response_url: str, *, channel: str = "C0TEAM", user: str = "U0VOTER",
                   message: dict | None = None) -> dict:
    """A block_actions payload for one button; without `message` it comes from an ephemeral message."""
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "user": {"id": user}, "api_app_id": "A0FAKE",
        "channel": {"id": channel}, "response_url": response_url, "trigger_id": "1.2.3",
        "container": {"type": "message", "channel_id": channel, "is_ephemeral": message is None,
                      "message_ts": (message or {}).get("ts", "1700000000.000001")},
        "actions": [{"type": "button", "action_id": action_id, "value": value, "block_id": "b",
                     "action_ts": str(time.time())}],
    }
    if message is not None:
        payload["message"] = message
    return payload


def action_form(payload: dict) -> str:
    """An interaction payload, form-encoded as Slack posts it."""
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


# -- what may reach Slack --

# The only markup the app writes itself: links to reports, and who shared an answer. Any other "<" is markup
# that came from a document or a question.
OWN_MARKUP = re.compile(r"<https?://[!-~]+?\|open the report>|^<@[UW][A-Z0-9]+> shared ")
# Controls other than tab and newline, bidi controls and lone surrogates: never in text we send.
INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Pieces for fuzzing: Slack markup, mrkdwn, what breaks JSON, invisible characters and half characters.
HOSTILE_PIECES = (
    "<!channel>", "<!here>", "<!everyone>", "<@U123>", "<@U124|sam>", "<#C123|general>", "<!subteam^S123>",
    "<https://evil.example|click>", "<mailto:a@evil.example|mail>", "https://evil.example", "&lt;", "&gt;", "&amp;",
    "&", "<", ">", "|", "\n>", "*", "_", "~", "`", "```", '"', "\\", "}]", "\ud800", "\udfff", "\x00", "\x1b", "\x85",
    "\r\n", "\t", "\u202e", "\u2066", "\u2069", "\u2028", "\u200b", "😀", " ",
)


def text_fields(value: Any) -> Iterator[tuple[dict, str]]:
    """(the object that holds it, the text) for every "text" string anywhere in a payload."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield value, item
            else:
                yield from text_fields(item)
    elif isinstance(value, list):
        for item in value:
            yield from text_fields(item)


def slack_problems(body: dict) -> list[str]:
    """What in a message body could ping, mention or link, hide text, or make Slack refuse it; [] when nothing."""
    problems = []
    try:
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        problems.append("not encodable as UTF-8 JSON")
    if len(body.get("blocks") or []) > MAX_BLOCKS:
        problems.append(f"{len(body['blocks'])} blocks")
    for owner, text in text_fields(body):
        fallback = owner is body
        if length(text) > (MAX_FALLBACK if fallback else MAX_TEXT):
            problems.append(f"text of {length(text)} UTF-16 units")
        if not fallback and not text.strip():
            problems.append("an empty text object")
        if owner.get("type") == "mrkdwn" and owner.get("verbatim") is not True:
            problems.append(f"mrkdwn that Slack may auto-link: {text[:60]!r}")
        raw = OWN_MARKUP.sub("", text).find("<")
        if raw >= 0:
            problems.append(f"raw markup: {OWN_MARKUP.sub('', text)[raw : raw + 40]!r}")
        if INVISIBLE.search(text):
            problems.append(f"an invisible character: {INVISIBLE.search(text).group()!r}")
    return problems


# -- fixtures --


@dataclass
class Harness:
    """A running app and everything a test needs to talk to it and inspect what it did."""

    slack: FakeSlack
    answerer: Any  # the engine the app answers with: tests.slack_kb.RecordingEngine
    settings: Settings
    server: Any
    url: str = ""
    socket: FakeSocket | None = None
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def event_id(self) -> str:
        """A fresh event id."""
        return f"Ev{next(self._ids):06d}"

    def post_event(self, event: dict, event_id: str = "", headers: dict | None = None) -> tuple[int, str]:
        """Deliver an event over signed HTTP."""
        body = json.dumps(event_body(event, event_id or self.event_id()))
        return post_signed(self.url, body, "application/json", headers=headers)

    def post_command(self, text: str, response_url: str, **options) -> tuple[int, str]:
        """Run /findings over signed HTTP."""
        return post_signed(self.url, command_form(text, response_url, **options), "application/x-www-form-urlencoded")

    def post_action(self, payload: dict) -> tuple[int, str]:
        """Click a button over signed HTTP."""
        return post_signed(self.url, action_form(payload), "application/x-www-form-urlencoded")


def make_settings(tmp_path, **overrides) -> Settings:
    """Settings for a test app: fake tokens, a temp feedback store, two listened channels."""
    values = {"slack_bot_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET, "port": 0,
              "feedback_path": tmp_path / "feedback.sqlite3", "slack_listen_channels": "C0ASK, C0ASK2",
              "chroma_path": tmp_path / "chroma", "log_format": "json"}
    return Settings(_env_file=None, **(values | overrides))


@contextmanager
def running_fake() -> Iterator[FakeSlack]:
    """The fake Web API, serving until the block ends."""
    fake = FakeSlack()
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()


@contextmanager
def running_http(fake: FakeSlack, settings: Settings, answerer, client: WebClient | None = None) -> Iterator[Harness]:
    """The real HTTP server (uvicorn and Bolt's Starlette adapter) on a free port, built as `findings serve` does."""
    server = build_server(settings, answerer, client or fake.client())
    server.start()
    try:
        yield Harness(fake, answerer, settings, server, url=f"http://127.0.0.1:{server.port}/slack/events")
    finally:
        server.stop()


@contextmanager
def running_socket(fake: FakeSlack, settings: Settings, answerer) -> Iterator[Harness]:
    """The app in Socket Mode, connected to a local WebSocket server that apps.connections.open hands out."""
    socket = FakeSocket()
    socket.thread.start()
    fake.socket_url = socket.url
    server = build_server(settings, answerer, fake.client())
    try:
        server.start()
        if not socket.connected.wait(10):
            raise AssertionError("the app did not connect to the Socket Mode server")
        yield Harness(fake, answerer, settings, server, socket=socket)
    finally:
        # The builtin client's close() waits out a 3 s socket read; once close() has turned off reconnecting,
        # dropping the connection from this side ends that read at once.
        stopper = threading.Thread(target=server.stop)
        stopper.start()
        time.sleep(0.05)
        for conn in list(socket.server.connections):
            conn.close()
        stopper.join(10)
        socket.server.shutdown()


def until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for a condition that a worker thread makes true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")
