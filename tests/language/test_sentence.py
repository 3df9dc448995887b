"""Tests for splitting text into sentence units with offsets."""

from bot.language.sentence import split_sentences

TEXT = (
    "1. Children in care are seen regularly, e.g. by their social workers. Most live in “stable” homes. "
    "2 of them moved.\n"
    "- The quality of plans.\n"
    "| The experiences and progress of care leavers | Inadequate |\n"
    "| --- | --- |\n"
    "Inspectors met Dr. Patel and St. Helens leaders. They agreed."
)


def test_units_are_exact_slices_with_kinds():
    """Sentences, bullet items and table rows are cut by offsets and labelled by kind."""
    units = split_sentences(TEXT)
    texts = [(u.kind, TEXT[u.start : u.end]) for u in units]
    assert texts == [
        ("sentence", "Children in care are seen regularly, e.g. by their social workers."),
        ("sentence", "Most live in “stable” homes."),
        ("sentence", "2 of them moved."),
        ("item", "The quality of plans."),
        ("row", "| The experiences and progress of care leavers | Inadequate |"),
        ("sentence", "Inspectors met Dr. Patel and St. Helens leaders."),
        ("sentence", "They agreed."),
    ]


def test_lines_are_separate_blocks():
    """Each line is its own block, so sentences on different lines are never joined into one span."""
    units = split_sentences(TEXT)
    assert len({u.block for u in units}) == 4
    assert units[0].block == units[1].block == units[2].block


def test_table_rule_and_empty_lines_give_no_units():
    """A Markdown table rule or a blank line is not a sentence."""
    assert split_sentences("| --- | --- |\n\n   \n") == []


def test_closing_quote_stays_with_its_sentence():
    """A sentence ending inside quotation marks keeps the closing mark."""
    text = "She said “it works.” Leaders agreed."
    units = split_sentences(text)
    assert [text[u.start : u.end] for u in units] == ["She said “it works.”", "Leaders agreed."]
