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


def test_secrets_stay_hidden_in_repr_str_and_json():
    """The bot token, signing secret and app token appear in none of repr, str, model_dump_json or model_dump."""
    values = {"slack_bot_token": "xoxb-zebra-1", "slack_signing_secret": "zebra-signing-2",
              "slack_app_token": "xapp-zebra-3"}
    settings = Settings(_env_file=None, **values)
    shown = repr(settings) + str(settings) + settings.model_dump_json() + repr(settings.model_dump())
    assert "zebra" not in shown
    assert {name: getattr(settings, name).get_secret_value() for name in values} == values


def test_allow_lists_and_rate_limit_default_to_open_and_ten_a_minute():
    """With nothing set, any workspace and channel is served and each person may ask 10 questions a minute."""
    settings = Settings(_env_file=None)
    assert settings.allowed_teams == frozenset() and settings.allowed_channels == frozenset()
    assert settings.slack_rate_limit == 10


def test_allow_lists_are_comma_separated_ids_with_dm_for_direct_messages(monkeypatch):
    """SLACK_ALLOWED_TEAMS and SLACK_ALLOWED_CHANNELS are read from the environment as comma-separated ids, spaces
    and empty entries ignored, with `dm` in any case meaning direct messages."""
    monkeypatch.setenv("SLACK_ALLOWED_TEAMS", "T0123ABCD, E0456ORG,")
    monkeypatch.setenv("SLACK_ALLOWED_CHANNELS", " C0123ABCD ,DM,G0PRIVATE")
    monkeypatch.setenv("SLACK_RATE_LIMIT", "0")
    settings = Settings(_env_file=None)
    assert settings.allowed_teams == {"T0123ABCD", "E0456ORG"}
    assert settings.allowed_channels == {"C0123ABCD", "dm", "G0PRIVATE"}
    assert settings.slack_rate_limit == 0


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("slack_allowed_teams", "T0123ABCD,acme.slack.com", "'acme.slack.com' is not a workspace id"),
    ("slack_allowed_channels", "C0123ABCD,#general", "'#general' is not a channel id"),
    ("slack_rate_limit", -1, "greater than or equal to 0"),
])
def test_bad_allow_list_entry_or_rate_limit_names_the_setting_and_the_reason(field, value, reason):
    """A channel name where an id belongs, or a negative limit, fails naming the setting, the entry and why."""
    with pytest.raises(ValidationError) as failed:
        Settings(_env_file=None, **{field: value})
    assert field in str(failed.value) and reason in str(failed.value)
