"""Tests for structure-aware chunking."""

from bot.ingest.chunker import OPENING_SECTION, chunk_text, clean_heading, split_sections
from bot.ingest.frontmatter import split_front_matter
from tests.conftest import KNOWLEDGE


def _body(name: str) -> str:
    return split_front_matter((KNOWLEDGE / name).read_text(encoding="utf-8"))[1]


def test_every_chunk_is_an_exact_slice_of_its_source():
    """Offsets cut each chunk's text out of the source character for character, across the corpus."""
    for path in sorted(KNOWLEDGE.glob("*.md"))[:40]:
        text = split_front_matter(path.read_text(encoding="utf-8"))[1]
        chunks = chunk_text(path.stem, text)
        assert chunks, path.name
        for chunk in chunks:
            assert text[chunk.start : chunk.end] == chunk.text


def test_sections_carry_heading_paths_with_the_judgement():
    """A chunk under an ILACS judgement heading knows that heading as its section."""
    chunks = chunk_text("dorset", _body("dorset-ilacs-2025-05-09.md"))
    sections = {c.section for c in chunks}
    assert "The experiences and progress of children in care: outstanding" in sections
    assert chunks[0].section == OPENING_SECTION
    for chunk in chunks:
        if chunk.text.startswith("#"):
            assert chunk.section in chunk.text.splitlines()[0]


def test_a_heading_that_is_a_finding_is_kept_as_text():
    """A heading that states a grade stays in the text, and a bare heading alone is not a chunk."""
    text = "# Title\n\n## Children’s services in Norfolk are inadequate\n\n## Summary\n\n## Next\n\nBody text here.\n"
    texts = [c.text for c in chunk_text("x", text)]
    assert texts == ["## Children’s services in Norfolk are inadequate", "## Next\n\nBody text here."]


def test_numbered_paragraphs_stay_whole_when_they_fit():
    """A numbered paragraph shorter than a chunk is never split across chunks."""
    text = _body("dorset-ilacs-2025-05-09.md")
    paragraphs = [p for p in text.split("\n\n") if p[:3].rstrip(". ").isdigit() and len(p) < 1000]
    chunks = chunk_text("dorset", text)
    for paragraph in paragraphs:
        assert any(paragraph in c.text for c in chunks), paragraph[:60]


def test_long_paragraph_splits_at_sentence_ends():
    """A paragraph longer than a chunk is split between sentences, never mid-word."""
    sentence = "Leaders know their services well and act on what they find. "
    text = "## Leaders\n\n" + sentence * 40
    chunks = chunk_text("x", text, size=300)
    assert len(chunks) > 1
    assert all(c.text.endswith(".") for c in chunks)


def test_nested_headings_build_a_path_and_title_resets_it():
    """Level-3 headings nest under level-2 ones, and a level-1 title starts again."""
    text = "# Title\n\nIntro text here.\n\n## Help\n\nSome help text.\n\n### Early help\n\nEarly help text.\n"
    paths = [s.path for s in split_sections(text)]
    assert paths == [OPENING_SECTION, "Help", "Help > Early help"]


def test_heading_cleanup_drops_markup_and_footnotes():
    """Bold markers, footnote marks and stray numbering do not reach the section name."""
    assert clean_heading("**What needs to improve?** [3]") == "What needs to improve?"
    assert clean_heading(". Leadership, management and governance") == "Leadership, management and governance"


def test_text_without_words_gives_no_chunks():
    """Stray marks with no words are not indexed."""
    assert chunk_text("x", "## Heading\n\n[1]\n\n---\n") == []
