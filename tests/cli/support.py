"""What the CLI tests share: the environment `findings` runs with, and the word-for-word check of its quotes."""

from bot.ingest.reader import read_source
from tests.conftest import KNOWLEDGE

NATIONAL = KNOWLEDGE.parent / "tests" / "fixtures" / "national"


def cli_env(settings, **extra) -> dict[str, str]:
    """Environment variables pointing `findings` at the settings' store, plus any extra settings."""
    return {"CHROMA_PATH": str(settings.chroma_path), "LOG_FORMAT": "json", "LOG_LEVEL": "WARNING", **extra}


def source_text(report_id: str) -> str:
    """A report's text exactly as ingest read it."""
    path = next(p for p in (KNOWLEDGE / f"{report_id}.md", NATIONAL / f"{report_id}.md") if p.exists())
    return read_source(path, path.read_bytes(), {}).text


def quoted_items(payload) -> list[dict]:
    """Every object in a JSON payload that carries both text and report: the quoted items."""
    if isinstance(payload, list):
        return [item for value in payload for item in quoted_items(value)]
    if not isinstance(payload, dict):
        return []
    own = [payload] if {"text", "report"} <= set(payload) else []
    return own + [item for value in payload.values() for item in quoted_items(value)]


def assert_verbatim(payload) -> int:
    """Check every quoted item against its source word for word, and return how many there were."""
    items = quoted_items(payload)
    for item in items:
        assert "section" in item
        assert source_text(item["report"])[item["start"] : item["end"]] == item["text"]
    return len(items)
