"""The house's layout rules, read from the source: stage order, each outside library in its one place, sizes."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "bot"
# Library -> the modules (paths under bot/, a trailing / for a whole package) that alone may import it.
ALLOWED = {
    "chromadb": ("store/chroma.py", "store/client.py"),
    "slack_bolt": ("slack/",),
    "slack_sdk": ("slack/",),
    "redis": ("state/redis_backend.py",),
    # Someone else's site is read in one place, politely.
    "httpx": ("ofsted/client.py",),
    # The command line; nothing else parses arguments.
    "click": ("cli/",),
    # Pictures and papers for leaders: one module draws, one writes Word documents.
    "matplotlib": ("leaders/chart.py",),
    "docx": ("leaders/document.py",),
    # Training the cross-encoder; answering runs its ONNX export with onnxruntime and never imports these.
    "torch": ("evaluation/crossencoder.py",),
    "transformers": ("evaluation/crossencoder.py",),
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


# The stages in pipeline order: a module may import its own stage, the shared top level and earlier stages only.
STAGES = ("language", "ingest", "store", "retrieval", "leaders", "routing", "evaluation", "state", "ofsted", "slack",
          "cli")
# Stages beside each other, neither importing the other: scoring answers and keeping replicas' state.
SIDE_BY_SIDE = {frozenset({"evaluation", "state"})}


def _stage(module: str) -> str:
    """The stage of a dotted module under bot ("bot.retrieval.query" -> "retrieval"), or "" for the top level."""
    parts = module.split(".")
    if parts[1] == "__main__":
        return "cli"  # `python -m bot` is the command line
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else ""


def _bot_imports(path: Path) -> set[str]:
    """The bot modules a module imports, at any depth, as dotted names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "bot"}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "bot":
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _imported(path: Path) -> set[str]:
    """The top-level names of every package a module imports, at any depth in the module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _allowed(path: Path, places: tuple[str, ...]) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(relative.startswith(place) if place.endswith("/") else relative == place for place in places)


@pytest.mark.parametrize("library", sorted(ALLOWED))
def test_each_library_is_imported_only_in_its_place(library):
    """chromadb only in the store, Slack's SDKs only in bot/slack/, redis only in the Redis state, click only in
    the command modules."""
    offenders = [p.relative_to(REPO).as_posix() for p in _modules()
                 if library in _imported(p) and not _allowed(p, ALLOWED[library])]
    assert not offenders, f"{library} imported outside {ALLOWED[library]}: {offenders}"


def test_no_module_reads_the_environment():
    """Settings come from the one Settings object: no module reads os.environ or os.getenv."""
    offenders = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") and \
                    isinstance(node.value, ast.Name) and node.value.id == "os":
                offenders.append(f"{path.relative_to(REPO).as_posix()}:{node.lineno}")
    assert not offenders


def test_the_rules_can_see_an_import():
    """The reader finds imports inside functions too (the checks above would pass vacuously otherwise)."""
    assert "chromadb" in _imported(PACKAGE / "store" / "chroma.py")
    assert "click" in _imported(PACKAGE / "cli" / "shell.py")
    assert "redis" in _imported(PACKAGE / "state" / "redis_backend.py")


def _module_name(path: Path) -> str:
    return ".".join(("bot", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")


def test_no_stage_imports_a_later_stage():
    """Ingest never imports the store, the store never imports retrieval, and so on up to the command line; the
    shared top level (records, settings, errors) imports no stage at all."""
    offenders = []
    for path in _modules():
        own = _stage(_module_name(path) + ".x")
        rank = STAGES.index(own) if own else -1
        for imported in _bot_imports(path):
            other = _stage(imported)
            if not other or other == own:
                continue
            if STAGES.index(other) > rank or frozenset({own, other}) in SIDE_BY_SIDE:
                offenders.append(f"{path.relative_to(REPO).as_posix()} imports {imported}")
    assert not offenders, "\n".join(sorted(offenders))


def test_the_stage_rule_sees_a_late_import(tmp_path):
    """The stage test's reader finds a lazy import inside a function, so a late import cannot hide there."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from bot.slack.blocks import Reply\n    return Reply\n")
    assert _stage(next(iter(_bot_imports(module)))) == "slack"


def test_every_stage_says_what_it_owns_and_may_import():
    """Each stage package opens with a docstring of at least a paragraph naming what it may import."""
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert len(doc) > 120 and "import" in doc, stage


def test_no_module_is_over_250_lines():
    """Every module stays a single noun of at most 250 lines, so a stage never grows a grab-bag."""
    long = {p.relative_to(REPO).as_posix(): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 250}
    assert not long


def test_no_function_in_retrieval_is_over_50_lines():
    """The quotes engine reads as small steps: no function or method in bot/retrieval/ runs past 50 lines."""
    long = [f"{p.name}:{node.name}" for p in sorted((PACKAGE / "retrieval").glob("*.py"))
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 50]
    assert not long


def test_answering_never_imports_torch():
    """Answering a question with the cross-encoder, from the command line's wiring, loads neither torch nor
    transformers: the reranker runs on onnxruntime alone."""
    code = ("import sys, bot.cli; from bot.retrieval.reranker import load_reranker; "
            "load_reranker().scores('is supervision regular?', ['Supervision is regular.']); "
            "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert found.stdout.strip() == "[]"


def test_serving_loads_neither_matplotlib_nor_python_docx():
    """`findings serve` (the CLI and the Slack server) starts without matplotlib or python-docx, about 50 MiB: charts
    are drawn in their own process and documents load on the first download."""
    code = ("import sys, bot.cli, bot.slack.server; "
            "print(sorted(m for m in ('matplotlib', 'docx', 'lxml') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert found.stdout.strip() == "[]"
