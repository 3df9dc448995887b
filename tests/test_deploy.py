"""Tests for deploy/: every manifest parses, and the Dockerfile, compose file and Kubernetes objects agree.

No container engine runs these files here; the tests read them and cross-check names, ports, paths and settings
against each other and against the code (Settings, the /healthz route, the chromadb client version). The one
command that is executed is the image's HEALTHCHECK, against the real HTTP server.
"""

import importlib.metadata
import json
import os
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import yaml

from bot.settings import Settings
from bot.slack.server import HEALTH_PATH
from tests.conftest import REPO
from tests.slack_fake import make_settings, running_fake, running_http

DEPLOY = REPO / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "compose.yaml"
K8S_FILES = sorted((DEPLOY / "k8s").glob("*.yaml"))
SETTINGS = {name.upper() for name in Settings.model_fields}
# Interpreter and installer switches the image sets for itself; every other variable must be a setting.
NOT_SETTINGS = {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_NO_CACHE_DIR", "PIP_DISABLE_PIP_VERSION_CHECK"}
BOT_IMAGE = "findings:"


def _docs(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def _k8s() -> list[dict]:
    return [doc for path in K8S_FILES for doc in _docs(path)]


def _one(kind: str, name: str | None = None) -> dict:
    found = [d for d in _k8s() if d["kind"] == kind and (name is None or d["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {len(found)}"
    return found[0]


def _compose() -> dict:
    [doc] = _docs(COMPOSE)
    return doc


# -- the Dockerfile, read the way docker reads it: comments dropped, continuations joined --


def _instructions() -> list[tuple[str, str]]:
    lines, pending = [], ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not pending and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        if raw.lstrip().startswith("#"):
            continue  # a comment inside a continued instruction
        if raw.rstrip().endswith("\\"):
            pending += raw.rstrip()[:-1] + " "
            continue
        lines.append(pending + raw)
        pending = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip()) for line in lines]


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _runtime() -> list[tuple[str, str]]:
    return _stages()[-1]


def _dockerfile_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, args in stage:
        if name == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(args))
    return env


def _healthcheck() -> list[str]:
    [args] = [args for name, args in _runtime() if name == "HEALTHCHECK"]
    return json.loads(args.split(" CMD ", 1)[1])


# -- pods and containers --


def _pod(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def _container(workload: dict) -> dict:
    [container] = _pod(workload)["containers"]
    return container


def _env(container: dict) -> dict[str, object]:
    """A container's variables: ConfigMap keys by value, then its own entries (a value or a valueFrom)."""
    env: dict[str, object] = {}
    for source in container.get("envFrom", []):
        env.update(_one("ConfigMap", source["configMapRef"]["name"])["data"])
    for entry in container.get("env", []):
        env[entry["name"]] = entry.get("value", entry.get("valueFrom"))
    return env


def _port_number(container: dict, port: int | str) -> int:
    """A probe's or Service's port, with a port name resolved against the container's ports."""
    if isinstance(port, int):
        return port
    [number] = [p["containerPort"] for p in container["ports"] if p.get("name") == port]
    return number


def _flag(args: list[str], flag: str) -> str:
    return args[args.index(flag) + 1]


def _compose_env(service: dict) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {name: str(value) for name, value in env.items()}


def _bot_services(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items() if str(s.get("image", "")).startswith(BOT_IMAGE)}


def _mebibytes(quantity: str) -> float:
    units = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}
    return float(quantity[:-2]) * units[quantity[-2:]]


# -- the tests --


def test_every_deploy_yaml_parses_into_objects():
    """The compose file, every Kubernetes file and the Slack manifest parse, and the manifests are complete objects."""
    assert K8S_FILES, "deploy/k8s holds no manifests"
    for path in [COMPOSE, DEPLOY / "slack-manifest.yaml", *K8S_FILES]:
        docs = _docs(path)
        assert docs and all(isinstance(doc, dict) for doc in docs), path
    for doc in _k8s():
        assert {"apiVersion", "kind", "metadata"} <= set(doc) and doc["metadata"]["name"], doc
    kinds = {doc["kind"] for doc in _k8s()}
    assert {"Namespace", "Secret", "ConfigMap", "Deployment", "Service", "StatefulSet", "Job"} <= kinds
    assert set(_compose()["services"]) == {"chroma", "redis", "ingest", "bot"}


def test_every_variable_set_for_the_bot_is_a_setting():
    """Each variable the Dockerfile, compose and Kubernetes set for the bot image names a field of Settings."""
    names = {name for stage in _stages() for name in _dockerfile_env(stage)} - NOT_SETTINGS
    for service in _bot_services(_compose()).values():
        names |= set(_compose_env(service))
    for workload in (_one("Deployment", "findings"), _one("Job")):
        names |= set(_env(_container(workload)))
    names |= set(_one("ConfigMap")["data"]) | set(_one("Secret")["stringData"])
    unknown = names - SETTINGS
    assert not unknown, f"not settings (typo?): {sorted(unknown)}"
    assert {"CHROMA_URL", "HOST", "PORT", "SLACK_BOT_TOKEN"} <= names


def test_the_bot_port_agrees_everywhere():
    """EXPOSE, PORT, the compose mapping, the container port, every probe and the Service all use the default port."""
    port = Settings.model_fields["port"].default
    runtime = _runtime()
    assert [int(args) for name, args in runtime if name == "EXPOSE"] == [port]
    assert int(_dockerfile_env(runtime)["PORT"]) == port
    assert f"os.environ.get('PORT', '{port}')" in _healthcheck()[-1]
    bot = _compose()["services"]["bot"]
    assert int(_compose_env(bot)["PORT"]) == port
    assert [int(str(p).rsplit(":", 1)[1]) for p in bot["ports"]] == [port]
    deployment = _one("Deployment", "findings")
    container = _container(deployment)
    assert [p["containerPort"] for p in container["ports"]] == [port]
    assert int(_env(container)["PORT"]) == port
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert _port_number(container, container[probe]["httpGet"]["port"]) == port, probe
    service = _one("Service", "findings")
    assert [_port_number(container, p["targetPort"]) for p in service["spec"]["ports"]] == [port]
    assert service["spec"]["ports"][0]["port"] == 80


def test_health_checks_call_the_servers_health_route():
    """The image, compose and every Kubernetes probe of the bot check the route the server serves as /healthz."""
    assert HEALTH_PATH in _healthcheck()[-1] and "127.0.0.1" in _healthcheck()[-1]
    assert _compose()["services"]["bot"]["healthcheck"]["test"] == ["CMD", *_healthcheck()]
    container = _container(_one("Deployment", "findings"))
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == HEALTH_PATH, probe


def _check(command: list[str], port: int, **extra: str) -> int:
    """Run the image's HEALTHCHECK command as docker would, with PORT set; returns its exit code."""
    assert command[0] == "python"
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS} | {"PORT": str(port), **extra}
    return subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, timeout=30).returncode


def test_healthcheck_command_passes_only_while_the_bot_is_healthy(tmp_path, served_engine):
    """The image's HEALTHCHECK exits 0 on a healthy HTTP server, non-zero on 503 or no server, and 0 in Socket Mode."""
    command = _healthcheck()
    chroma, engine = served_engine
    with running_fake() as fake, running_http(fake, make_settings(tmp_path), engine) as harness:
        port = harness.server.port
        assert _check(command, port) == 0
        chroma.stop()  # the knowledge base is unreachable: /healthz now answers 503
        assert _check(command, port) != 0
    assert _check(command, port) != 0  # nothing listens any more
    assert _check(command, port, SLACK_APP_TOKEN="xapp-1") == 0  # Socket Mode has no HTTP server to ask


def test_deployment_serves_http_mode_with_replicas():
    """The Deployment runs two or more replicas in HTTP mode: bot token and signing secret, never SLACK_APP_TOKEN."""
    deployment = _one("Deployment", "findings")
    assert deployment["spec"]["replicas"] >= 2
    container = _container(deployment)
    env = _env(container)
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"} <= set(env)
    assert "SLACK_APP_TOKEN" not in env
    assert all("secretRef" not in source for source in container.get("envFrom", []))  # would bring it in
    assert env["HOST"] == "0.0.0.0"
    assert container.get("command", ["findings", "serve"]) == ["findings", "serve"]
    resources = container["resources"]
    limit = _mebibytes(resources["limits"]["memory"])
    assert 1024 <= limit <= 2048 and _mebibytes(resources["requests"]["memory"]) <= limit


def test_every_secret_and_config_reference_exists():
    """Each secretKeyRef names a key of a Secret in the manifests, and each configMapRef a ConfigMap."""
    secrets = {
        d["metadata"]["name"]: set(d.get("stringData", {})) | set(d.get("data", {}))
        for d in _k8s()
        if d["kind"] == "Secret"
    }
    configs = {d["metadata"]["name"] for d in _k8s() if d["kind"] == "ConfigMap"}
    references = 0
    for workload in (d for d in _k8s() if d["kind"] in ("Deployment", "StatefulSet", "Job")):
        for container in _pod(workload)["containers"]:
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    assert ref["key"] in secrets.get(ref["name"], set()), ref
                    references += 1
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in configs
    assert references >= 2


def test_objects_share_a_namespace_and_selectors_match():
    """Every object is in the one Namespace, and each Service and workload selector matches its pods' labels."""
    namespace = _one("Namespace")["metadata"]["name"]
    for doc in _k8s():
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == namespace, doc["metadata"]["name"]
    workloads = [d for d in _k8s() if d["kind"] in ("Deployment", "StatefulSet")]
    for workload in workloads:
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert workload["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for service in (d for d in _k8s() if d["kind"] == "Service"):
        selector = service["spec"]["selector"].items()
        matched = [w for w in workloads if selector <= w["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matched) == 1, service["metadata"]["name"]
    statefulset = _one("StatefulSet")
    governing = _one("Service", statefulset["spec"]["serviceName"])
    assert governing["spec"].get("clusterIP") == "None"


def test_chroma_statefulset_persists_to_its_claim():
    """Chroma runs once, the client's version, persisting to the path where a volumeClaimTemplate is mounted."""
    # Imported here, not at the top, so that test_server_mode can load tests.chroma_server as a plugin first.
    from tests.chroma_server import HEARTBEAT  # the endpoint the server fixture waits on

    statefulset = _one("StatefulSet", "findings-chroma")
    assert statefulset["spec"]["replicas"] == 1
    container = _container(statefulset)
    assert container["image"] == f"chromadb/chroma:{importlib.metadata.version('chromadb')}"
    args = container["args"]
    assert args[0] == "run" and _flag(args, "--host") == "0.0.0.0"
    path, port = _flag(args, "--path"), int(_flag(args, "--port"))
    claims = {t["metadata"]["name"] for t in statefulset["spec"]["volumeClaimTemplates"]}
    assert [m["name"] for m in container["volumeMounts"] if m["mountPath"] == path] == [*claims]
    assert [p["containerPort"] for p in container["ports"]] == [port]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == HEARTBEAT
        assert _port_number(container, container[probe]["httpGet"]["port"]) == port


def test_chroma_url_points_at_the_chroma_service():
    """CHROMA_URL names the Chroma Service (or compose service) and a port that reaches the server's --port."""
    statefulset = _one("StatefulSet", "findings-chroma")
    chroma = _container(statefulset)
    url = urlparse(str(_env(_container(_one("Deployment", "findings")))["CHROMA_URL"]))
    service = _one("Service", url.hostname.split(".")[0])
    [service_port] = [p for p in service["spec"]["ports"] if p["port"] == url.port]
    assert _port_number(chroma, service_port["targetPort"]) == int(_flag(chroma["args"], "--port"))
    assert service["spec"]["selector"].items() <= statefulset["spec"]["template"]["metadata"]["labels"].items()

    compose = _compose()
    args = compose["services"]["chroma"]["command"]
    assert compose["services"]["chroma"]["image"] == f"chromadb/chroma:{importlib.metadata.version('chromadb')}"
    for name, service in _bot_services(compose).items():
        url = urlparse(_compose_env(service)["CHROMA_URL"])
        assert (url.hostname, url.port) == ("chroma", int(_flag(args, "--port"))), name
        assert service["depends_on"]["chroma"]["condition"] == "service_healthy", name


def test_ingest_writes_the_store_the_bot_reads():
    """The ingest Job and compose service run `findings ingest --prune` with the bot's image, store and collection."""
    deployment, job = _container(_one("Deployment", "findings")), _container(_one("Job"))
    assert job["command"] == ["findings", "ingest", "--prune"]
    assert job["image"] == deployment["image"]
    assert _one("Job")["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")
    for name in ("CHROMA_URL", "COLLECTION", "KNOWLEDGE_DIR"):
        assert _env(job).get(name) == _env(deployment).get(name), name
    services = _compose()["services"]
    ingest, bot = services["ingest"], services["bot"]
    assert ingest["command"] == ["findings", "ingest", "--prune"] and ingest["restart"] == "no"
    assert ingest["image"] == bot["image"] and ingest["build"] == bot["build"]
    for name in ("CHROMA_URL", "COLLECTION"):
        assert _compose_env(ingest).get(name) == _compose_env(bot).get(name), name


def test_compose_volumes_builds_and_env_file_resolve():
    """Compose volumes are declared and mounted where data is kept, builds use this Dockerfile, .env is optional."""
    compose = _compose()
    declared = set(compose["volumes"])
    mounts: dict[str, dict[str, str]] = {}
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
            mounts.setdefault(name, {})[target] = source
    chroma = compose["services"]["chroma"]
    assert _flag(chroma["command"], "--path") in mounts["chroma"]
    bot_env = _compose_env(compose["services"]["bot"])
    assert str(Path(bot_env["FEEDBACK_PATH"]).parent) in mounts["bot"]
    for service in _bot_services(compose).values():
        build = service["build"]
        assert (COMPOSE.parent / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
        assert service["env_file"] == [{"path": "../.env", "required": False}]
        assert (COMPOSE.parent / "../.env.example").resolve().is_file()  # what ../.env is copied from


def test_dockerfile_is_slim_non_root_and_bakes_the_model():
    """The image is multi-stage python:3.11-slim, runs as a numeric non-root user and loads the model at build time."""
    instructions = _instructions()
    args = dict(a.split("=", 1) for n, a in instructions if n == "ARG" and "=" in a)
    stages = _stages()
    assert len(stages) >= 2
    for stage in stages:
        image = stage[0][1].split()[0]
        assert args.get(image.strip("${}"), image) == "python:3.11-slim"
    runtime = _runtime()
    names = [name for name, _ in runtime]
    install = next(i for i, (n, a) in enumerate(runtime) if n == "RUN" and "pip install" in a)
    assert "from=builder" in runtime[install][1] and "--no-index" in runtime[install][1]
    [user] = [a for n, a in runtime if n == "USER"]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) != 0
    for workload in (_one("Deployment", "findings"), _one("Job")):
        context = _pod(workload)["securityContext"]
        assert context["runAsNonRoot"] is True and context["runAsUser"] == int(uid)
    verify = (
        'python -c "from bot.embedder import model_files, Embedder; from bot.settings import Settings; '
        'Embedder(model_files(Settings(_env_file=None)))"'
    )
    bake = runtime.index(("RUN", verify))
    assert install < names.index("USER") < bake
    assert "HEALTHCHECK" in names
    env = _dockerfile_env(runtime)
    expected = {
        "HOST": "0.0.0.0",
        "PORT": "3000",
        "KNOWLEDGE_DIR": "/app/knowledge",
        "CHROMA_PATH": "/data/chroma",
        "FEEDBACK_PATH": "/data/feedback.sqlite3",
        "LOG_FORMAT": "json",
    }
    assert {name: env.get(name) for name in expected} == expected
    [volume] = [a for n, a in runtime if n == "VOLUME"]
    assert all(Path(env[k]).is_relative_to(volume) for k in ("CHROMA_PATH", "FEEDBACK_PATH"))
    assert any(n == "COPY" and a.split()[-1].rstrip("/") == env["KNOWLEDGE_DIR"] for n, a in runtime)
    [cmd] = [json.loads(a) for n, a in runtime if n == "CMD"]
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert cmd == ["findings", "serve"] and cmd[0] in scripts


def test_dockerignore_lets_in_only_what_the_build_copies():
    """The build context excludes everything, .env included, except the files the Dockerfile copies from it."""
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*"
    let_in = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    copied = {
        source.rstrip("/")
        for name, args in _instructions()
        if name == "COPY" and "--from" not in args
        for source in args.split()[:-1]
        if not source.startswith("--")
    }
    assert let_in == copied
    assert all((REPO / path).exists() for path in copied)
    assert ".env" not in let_in


def test_k8s_files_apply_in_file_order():
    """Each Kubernetes file only needs objects from itself or earlier files, so `kubectl apply -f deploy/k8s/` works."""
    checked = 0
    for path in K8S_FILES:
        earlier = {(d["kind"], d["metadata"]["name"]) for p in K8S_FILES if p.name <= path.name for d in _docs(p)}
        for doc in _docs(path):
            if doc["kind"] != "Namespace":
                assert ("Namespace", doc["metadata"]["namespace"]) in earlier, path.name
                checked += 1
            if doc["kind"] in ("Deployment", "Job", "StatefulSet"):
                for container in _pod(doc)["containers"]:
                    for source in container.get("envFrom", []):
                        assert ("ConfigMap", source["configMapRef"]["name"]) in earlier, path.name
                    for entry in container.get("env", []):
                        ref = entry.get("valueFrom", {}).get("secretKeyRef")
                        if ref:
                            assert ("Secret", ref["name"]) in earlier, path.name
    assert checked == len(_k8s()) - 1


def test_redis_url_points_at_the_redis_service_which_keeps_nothing_on_disk():
    """REDIS_URL names the Redis Service (or compose service) and its port; Redis runs with no snapshots or AOF."""
    redis_deployment = _one("Deployment", "findings-redis")
    redis = _container(redis_deployment)
    assert redis_deployment["spec"]["replicas"] == 1  # the claim scripts need one server
    assert _flag(redis["args"], "--save") == "" and _flag(redis["args"], "--appendonly") == "no"
    url = urlparse(str(_env(_container(_one("Deployment", "findings")))["REDIS_URL"]))
    assert url.scheme == "redis"
    service = _one("Service", url.hostname.split(".")[0])
    [service_port] = [p for p in service["spec"]["ports"] if p["port"] == url.port]
    assert _port_number(redis, service_port["targetPort"]) == int(_flag(redis["args"], "--port"))
    assert service["spec"]["selector"].items() <= redis_deployment["spec"]["template"]["metadata"]["labels"].items()

    compose = _compose()
    args = compose["services"]["redis"]["command"]
    assert _flag(args, "--save") == "" and _flag(args, "--appendonly") == "no"
    for name, service in _bot_services(compose).items():
        if service["command"] != ["findings", "serve"]:
            continue
        url = urlparse(_compose_env(service)["REDIS_URL"])
        assert (url.hostname, url.port) == ("redis", int(_flag(args, "--port"))), name
        assert service["depends_on"]["redis"]["condition"] == "service_healthy", name

