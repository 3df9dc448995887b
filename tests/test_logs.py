"""Logs at default settings hold no message text, personal data or user ids: `findings serve` and `ask` as processes."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.slack.blocks import VOTE_UP
from bot.store.client import open_store
from bot.store.sync import ingest
from tests.conftest import KNOWLEDGE, REPO, SMALL_REPORTS
from tests.slack_fake import (
    BOT_TOKEN,
    BOT_USER,
    SIGNING_SECRET,
    FakeSlack,
    action_form,
    action_payload,
    command_form,
    event_body,
    message_event,
    post_signed,
    running_fake,
    until,
)

MARKER = "QZV-0417-XJ"
NHS = "943 476 5919"
NI = "QQ 12 34 56 C"
DOB = "DOB 03/04/2012"
NAME_AND_POSTCODE = "Jayden Smith, SW1A 1AA"
USERS = ("U0PRIVACY1", "U0PRIVACY2", "U0PRIVACY3", "U0PRIVACY4")
# Every form in which any of them could reach a log line.
SECRETS = (MARKER, NHS, "9434765919", NI, "QQ123456C", "03/04/2012", "Jayden", "Smith", "SW1A", *USERS)


def _env(**values: str) -> dict[str, str]:
    """This process's environment less every Findings setting, plus `values`: a default install."""
    names = {name.upper() for name in Settings.model_fields}
    return {k: v for k, v in os.environ.items() if k.upper() not in names} | {"PYTHONPATH": str(REPO), **values}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


@pytest.fixture(scope="module")
def install(tmp_path_factory, embedder) -> Path:
    """A folder laid out as a default install: the store at .findings/chroma, built from three real reports."""
    root = tmp_path_factory.mktemp("install")
    (root / "knowledge").mkdir()
    for name in SMALL_REPORTS:
        shutil.copy(KNOWLEDGE / name, root / "knowledge" / name)
    settings = Settings(_env_file=None, chroma_path=root / ".findings" / "chroma")
    store = open_store(settings, embedder.model_id)
    result = ingest([root / "knowledge"], store, embedder, max_bytes=settings.max_file_bytes)
    assert result.added == len(SMALL_REPORTS) and not result.failed
    return root


def _wait_healthy(port: int, process: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "findings serve exited before it was ready"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("findings serve did not become healthy")


def _converse(fake: FakeSlack, url: str) -> None:
    """A mention, a DM, a thread follow-up and /findings, each with the marker and personal data; then a vote."""

    def event(ev: dict, event_id: str) -> None:
        assert post_signed(url, json.dumps(event_body(ev, event_id)), "application/json")[0] == 200

    mention = f"<@{BOT_USER}> {MARKER} what did inspectors say about supervision in Calderdale? NHS {NHS}."
    event(message_event(mention, ts="50.000001", channel="C0PRIV", user=USERS[0], kind="app_mention"), "EvPRIV1")
    fake.wait_for("chat.postMessage", 1, timeout=60)
    dm = f"{MARKER} how are children at risk of exploitation helped in Calderdale? NI {NI}"
    event(message_event(dm, ts="50.000002", channel="D0PRIV", channel_type="im", user=USERS[0]), "EvPRIV2")
    fake.wait_for("chat.postMessage", 2, timeout=60)
    follow_up = f"and {MARKER} for {NAME_AND_POSTCODE}, {DOB}?"
    event(message_event(follow_up, ts="50.000003", channel="C0PRIV", user=USERS[1], thread_ts="50.000001"), "EvPRIV3")
    fake.wait_for("chat.postMessage", 3, timeout=60)
    command = f"{MARKER} front door in Essex {NHS} {NI} {DOB} {NAME_AND_POSTCODE}"
    form = command_form(command, fake.response_url("cmd"), channel="C0PRIV", user=USERS[2])
    assert post_signed(url, form, "application/x-www-form-urlencoded")[0] == 200
    until(lambda: any(body.get("blocks") for body in fake.bodies("response_url")), timeout=60)  # reminder, answer
    answered = fake.messages["C0PRIV"][0]
    answer_id = answered["blocks"][-1]["elements"][0]["value"]
    payload = action_payload(VOTE_UP, answer_id, fake.response_url("vote"), channel="C0PRIV", user=USERS[3],
                             message=answered)
    assert post_signed(url, action_form(payload), "application/x-www-form-urlencoded")[0] == 200
    until(lambda: any(b["text"].startswith("Thanks") for b in fake.bodies("chat.postEphemeral")), timeout=30)


def test_serve_logs_nothing_anyone_wrote(install):
    """`findings serve` at default settings answers every surface and logs no marker, personal data or user id."""
    port = _free_port()
    with running_fake() as fake:
        env = _env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake.api_url,
                   PORT=str(port))
        with (install / "serve.out").open("w") as out, (install / "serve.err").open("w") as err:
            process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], cwd=install, env=env, stdout=out,
                                       stderr=err, stdin=subprocess.DEVNULL)
        try:
            _wait_healthy(port, process)
            _converse(fake, f"http://127.0.0.1:{port}/slack/events")
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                raise
    output = (install / "serve.out").read_text() + (install / "serve.err").read_text()
    assert _leaks(output) == [] and "Traceback" not in output
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    questions = [line["outcome"] for line in lines if line["event"] == "slack.question"]
    assert len(questions) == 4 and "answered" in questions  # the answer path was taken, not only refusals
    assert {"slack.vote", "slack.serve"} <= {line["event"] for line in lines}


def test_ask_prints_the_answer_and_logs_nothing_of_the_question(install):
    """`findings ask` with personal data in the question answers on stdout; its log lines on stderr hold none of it."""
    question = f"{MARKER} supervision in Calderdale for {NAME_AND_POSTCODE}, NHS {NHS}, {DOB}, NI {NI}"
    result = subprocess.run([sys.executable, "-m", "bot", "ask", question], cwd=install, env=_env(),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip()
    assert _leaks(result.stderr) == [] and '"knowledge.loaded"' in result.stderr


def test_libraries_do_not_log_below_the_level_asked_for():
    """At INFO, a process that builds a keyword index prints nothing of bm25s's DEBUG logging (bm25s sets its own
    logger to DEBUG when imported)."""
    script = (
        "from bot.logs import configure_logging; configure_logging('INFO', 'json'); "
        "from bot.retrieval.keyword import KeywordIndex; "
        "KeywordIndex(['care leavers have advisers', 'supervision is regular'])"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr
    assert "Building index" not in done.stderr and "DEBUG" not in done.stderr
