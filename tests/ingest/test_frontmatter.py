"""Tests for YAML front matter parsing."""

import pytest

from bot.errors import InputError
from bot.ingest.frontmatter import split_front_matter


def test_front_matter_is_split_and_keys_are_aliased():
    """slug, publication_date and source_url map to id, published and url; the body follows."""
    meta, body = split_front_matter("---\nslug: x-1\npublication_date: 2024-01-02\nsource_url: u\n---\n\n# T\n")
    assert meta["id"] == "x-1" and str(meta["published"]) == "2024-01-02" and meta["url"] == "u"
    assert body == "\n# T\n"


def test_text_without_front_matter_is_unchanged():
    """A file with no front matter gives no metadata and its whole text."""
    assert split_front_matter("# Title\n\nBody.\n") == ({}, "# Title\n\nBody.\n")


def test_invalid_yaml_names_the_line():
    """Broken YAML is one clear input error naming where it broke."""
    with pytest.raises(InputError, match=r"invalid YAML front matter at line \d+"):
        split_front_matter("---\ntitle: ok\nbad: [unclosed\n---\nBody\n")


def test_front_matter_that_is_not_a_mapping_is_refused():
    """A YAML list instead of key: value pairs is an input error."""
    with pytest.raises(InputError, match="key: value"):
        split_front_matter("---\n- a\n- b\n---\nBody\n")
