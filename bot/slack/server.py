"""Run the Slack app: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP at /slack/events with /healthz."""

import logging
import sys
import threading
import time

import structlog
import uvicorn
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.starlette import SlackRequestHandler
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.errors import ConfigError
from bot.ofsted.schedule import Schedule
from bot.settings import Settings
from bot.slack.announce import Announcer
from bot.slack.app import create_app, secret, web_client
from bot.slack.service import Engine
from bot.state import State, open_state

log = structlog.get_logger()

# Answers run on worker threads in CPU-bound Python; handing the GIL over every millisecond (not every 5) lets the
# thread that acks Slack in. Measured on the national store, 200 mentions at 20 concurrency: ack p99 187 → 81 ms.
SWITCH_INTERVAL = 0.001
# Asked once at start-up: an unscoped question reads Chroma's graphs (about 0.9 s on the national store).
WARM_UP = "How well are children helped and protected?"
EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"


def require_settings(settings: Settings) -> None:
    """Fail with one line naming the missing setting, before anything slow happens."""
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: use the Bot User OAuth Token (xoxb-...) from the app's page")
    if not settings.slack_app_token and not settings.slack_signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it (Basic Information > App Credentials); "
            "or set SLACK_APP_TOKEN to use Socket Mode"
        )


def web(app: App, answerer: Engine) -> Starlette:
    """The ASGI app: Bolt's Starlette adapter at /slack/events, and /healthz for the knowledge base."""
    handler = SlackRequestHandler(app)

    async def events(request: Request) -> Response:
        # Bolt fails with a 500 on a timestamp that is not a number; that is an unsigned request, so 401.
        if not request.headers.get("x-slack-request-timestamp", "").isdigit():
            return Response("invalid request", status_code=401)
        return await handler.handle(request)

    async def healthz(_request: Request) -> Response:
        reachable = await run_in_threadpool(answerer.knowledge.reachable)
        body = {"ok": reachable, "reports": len(answerer.knowledge.reports)}
        return JSONResponse(body, status_code=200 if reachable else 503)

    routes = [Route(EVENTS_PATH, events, methods=["POST"]), Route(HEALTH_PATH, healthz, methods=["GET"])]
    return Starlette(routes=routes)


class HttpServer:
    """uvicorn serving `web`; `run` blocks, `start` runs it on a thread (port 0 picks a free port)."""

    mode = "http"

    def __init__(self, app: App, answerer: Engine, host: str, port: int) -> None:
        config = uvicorn.Config(web(app, answerer), host=host, port=port, log_level="warning", access_log=False,
                                lifespan="off", log_config=None)  # log_config=None: leave our logging alone
        self.server = uvicorn.Server(config)
        self.thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port actually bound."""
        return self.server.servers[0].sockets[0].getsockname()[1]

    def run(self) -> None:
        """Serve until interrupted."""
        self.server.run()

    def start(self, timeout: float = 10.0) -> None:
        """Serve on a background thread and return once it is listening."""
        self.thread = threading.Thread(target=self.server.run, name="findings-http", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        if not self.server.started:
            raise RuntimeError("the HTTP server did not start")

    def stop(self) -> None:
        """Stop a server started with `start`."""
        self.server.should_exit = True
        if self.thread:
            self.thread.join(timeout=10)


class SocketServer:
    """Bolt's Socket Mode handler: `run` blocks, `start` connects and returns."""

    mode = "socket"

    def __init__(self, app: App, app_token: str, client: WebClient) -> None:
        self.handler = SocketModeHandler(app, app_token=app_token, web_client=client)

    def run(self) -> None:
        """Connect and serve until interrupted."""
        self.handler.start()

    def start(self) -> None:
        """Connect and return."""
        self.handler.connect()

    def stop(self) -> None:
        """Close the connection."""
        self.handler.close()


def build_server(settings: Settings, answerer: Engine, client: WebClient | None = None,
                 state: State | None = None) -> HttpServer | SocketServer:
    """Check settings, build the app (Bolt calls auth.test) and pick the transport."""
    require_settings(settings)
    # slack_sdk logs request bodies at DEBUG; message text must never reach the logs.
    for name in ("slack_sdk", "slack_bolt"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLogger(name).getEffectiveLevel()))
    client = client or web_client(settings)
    try:
        app = create_app(settings, answerer, client, state=state)
    except OSError as err:
        raise ConfigError(f"cannot reach Slack at {settings.slack_api_url} ({type(err).__name__})") from err
    except (BoltError, SlackApiError) as err:
        raise ConfigError("Slack rejected SLACK_BOT_TOKEN: auth.test failed; check the token and reinstall") from err
    if settings.slack_app_token:
        return SocketServer(app, secret(settings.slack_app_token), client)
    return HttpServer(app, answerer, settings.host, settings.port)


def warm(answerer: Engine) -> None:
    """Answer one question before listening, so the vector indexes are read before the first user's question."""
    started = time.perf_counter()
    try:
        answerer.answer(answerer.question(WARM_UP))
    except Exception as err:  # a cold start is slower, not broken; the first real question will say what is wrong
        log.warning("slack.warm_failed", error=type(err).__name__)
        return
    log.info("slack.warmed", ms=round((time.perf_counter() - started) * 1000))


def serve(settings: Settings, answerer: Engine, client: WebClient | None = None) -> None:
    """Run the Slack app until interrupted."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    warm(answerer)
    url = settings.redis_url.get_secret_value() if settings.redis_url else None
    state = open_state(url, settings.slack_rate_limit, settings.redis_prefix)
    client = client or web_client(settings)
    schedule = keep_current(settings, answerer, client, state)
    try:
        server = build_server(settings, answerer, client, state)
        where = {"host": settings.host, "port": settings.port} if server.mode == "http" else {}
        log.info("slack.serve", mode=server.mode, reports=len(answerer.knowledge.reports),
                 workers=settings.answer_workers, shared_state="redis" if url else "memory",
                 sync_hours=settings.sync_hours, **where)
        schedule.start()
        server.run()
    finally:
        schedule.stop()
        state.close()


def keep_current(settings: Settings, answerer: Engine, client: WebClient, state: State) -> Schedule:
    """The sync schedule, announcing what each run adds once the knowledge has taken it in."""
    def fresh():
        answerer.knowledge.refresh(force=True)
        return answerer.knowledge.snapshot()

    announcer = Announcer(client, state, settings.slack_announce_channel, fresh)
    return Schedule(settings, state, lambda run: announcer.announce([row["slug"] for row in run.added]))
