"""The house's import rules, read from the source: each outside library and os.environ in its one place."""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "bot"
# Library -> the modules (paths under bot/, a trailing / for a whole package) that alone may import it.
ALLOWED = {
    "chromadb": ("store.py",),
    "slack_bolt": ("slack/",),
    "slack_sdk": ("slack/",),
    "redis": ("state/redis_backend.py",),
    # The command-line modules; nothing else parses arguments.
    "click": ("cli.py", "leaders.py", "trainer.py"),
}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


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
    assert "chromadb" in _imported(PACKAGE / "store.py") and "click" in _imported(PACKAGE / "cli.py")
    assert "redis" in _imported(PACKAGE / "state" / "redis_backend.py")
