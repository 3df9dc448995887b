"""Tests for the one Settings object."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from tests.conftest import REPO


def test_defaults_match_the_documented_layout():
    """With nothing set, the store is embedded under .findings and knowledge comes from knowledge/."""
    settings = Settings(_env_file=None)
    assert settings.knowledge_dir == Path("knowledge")
    assert settings.chroma_path == Path(".findings/chroma")
    assert settings.chroma_url is None


def test_environment_overrides_dotenv_and_init_overrides_both(tmp_path, monkeypatch):
    """Precedence runs init > environment > .env > defaults."""
    env_file = tmp_path / ".env"
    env_file.write_text("CHROMA_URL=http://from-dotenv:1\nLOG_LEVEL=DEBUG\nPORT=4000\n")
    monkeypatch.setenv("CHROMA_URL", "http://from-env:2")
    settings = Settings(_env_file=env_file, port=5000)
    assert settings.chroma_url == "http://from-env:2"
    assert settings.log_level == "DEBUG"
    assert settings.port == 5000


def test_secrets_never_show_in_repr():
    """Slack tokens are SecretStr, so printing settings does not reveal them."""
    settings = Settings(_env_file=None, slack_bot_token="xoxb-very-secret")
    assert "xoxb-very-secret" not in repr(settings)
    assert settings.slack_bot_token.get_secret_value() == "xoxb-very-secret"


def test_bad_value_names_the_setting():
    """An invalid value fails with the setting's name in the message."""
    with pytest.raises(ValidationError, match="log_format"):
        Settings(_env_file=None, log_format="xml")


def test_env_example_lists_every_setting_with_a_comment():
    """.env.example documents each Settings field, each under a comment line."""
    lines = (REPO / ".env.example").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert names == {name.upper() for name in Settings.model_fields}
    for index, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[index - 1].startswith("# "), line
