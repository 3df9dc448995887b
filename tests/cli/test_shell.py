"""The root `findings` group: bad settings and a broken model end in one line naming the thing, never a traceback."""


from click.testing import CliRunner

from bot.cli import main
from tests.cli.support import cli_env


def test_broken_model_setting_is_one_line_not_a_traceback(settings, tmp_path):
    """A wrong EMBEDDING_MODEL fails with one line that says how to fix it."""
    result = CliRunner().invoke(main, ["ingest", "--json"], env=cli_env(settings, EMBEDDING_MODEL=str(tmp_path)))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "model.onnx is missing" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_value_is_named(settings):
    """An invalid setting value stops the CLI with a message naming the setting."""
    result = CliRunner().invoke(main, ["sources"], env=cli_env(settings, LOG_FORMAT="xml"))
    assert result.exit_code == 2 and "log_format" in result.stderr


def test_bad_redis_url_is_one_line_that_never_shows_the_value(settings):
    """A REDIS_URL that is not a Redis URL stops the CLI in one line naming it, without echoing the secret."""
    result = CliRunner().invoke(main, ["sources"], env=cli_env(settings, REDIS_URL="pw-hunter2@cache:6379"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "redis_url" in result.stderr and "Redis URL" in result.stderr and "hunter2" not in result.stderr
