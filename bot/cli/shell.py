"""The root `findings` group: it builds the one Settings object and turns expected errors into one line."""

import sys

import click
from pydantic import ValidationError

from bot.errors import ConfigError, InputError, StoreUnavailable
from bot.logs import configure_logging
from bot.settings import Settings


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit: how every expected error ends a command."""
    click.echo(f"findings: {message}", err=True)
    sys.exit(code)


class FindingsGroup(click.Group):
    """A group that turns expected errors into one line on stderr instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (ConfigError, InputError) as err:
            fail(str(err))
        except StoreUnavailable:
            fail("the knowledge base is unavailable: the Chroma server at CHROMA_URL stopped answering; try again", 3)


@click.group(cls=FindingsGroup)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Findings: what Ofsted inspectors found, quoted word for word."""
    try:
        settings = Settings()
    except ValidationError as err:
        # One line naming each setting and the reason, never the value given: it may be a secret (REDIS_URL).
        fail("bad setting: " + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                          for e in err.errors()))
    configure_logging(settings.log_level, settings.log_format)
    ctx.obj = settings
