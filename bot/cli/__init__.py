"""The `findings` command line: a thin shell over the stages, with `--json` wherever a script may want it.

The only package that imports click. It builds the one Settings object, wires the stages together and turns
expected errors into one clear line. It may import everything; nothing imports it except `bot.__main__`.
"""

from bot.cli.leaders import feature_commands
from bot.cli.library import ingest_command, inspect_command, sources_command
from bot.cli.questions import ask_command, demo_command, eval_command, validate_command
from bot.cli.serving import feedback_group, serve_command
from bot.cli.shell import main
from bot.cli.syncing import sync_command
from bot.cli.training import train_group

__all__ = ["main"]

for command in (ingest_command, sources_command, inspect_command, ask_command, eval_command, validate_command,
                demo_command, serve_command, feedback_group, *feature_commands(), train_group, sync_command):
    main.add_command(command)
