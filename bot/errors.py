"""Errors that are expected and shown to the user as one clear line."""


class InputError(Exception):
    """A file or request the bot cannot use; the message names the reason in one line."""


class ConfigError(Exception):
    """A setting or installed resource is missing or wrong; the message says how to fix it."""


class StoreUnavailable(Exception):
    """The knowledge base cannot be reached right now; say so, and try again on the next request."""
