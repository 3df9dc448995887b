"""YAML front matter: the attribution block at the top of a Markdown report."""

import re

import yaml

from bot.errors import InputError
from bot.ingest.catalogue import FIELD_ALIASES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict, str]:
    """Separate YAML front matter from the body; invalid YAML is an input error."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        problem = getattr(err, "problem", None) or "cannot be parsed"
        raise InputError(f"invalid YAML front matter{where}: {problem}") from None
    if not isinstance(meta, dict):
        raise InputError("invalid YAML front matter: expected key: value pairs")
    return {FIELD_ALIASES.get(str(k), str(k)): v for k, v in meta.items()}, text[match.end() :]
