"""Tests for HTML to text conversion."""

from bot.ingest.markup import html_to_text


def test_html_keeps_headings_paragraphs_bullets_and_tables():
    """Headings become #-lines, list items bullets and tables Markdown rows; scripts are dropped."""
    html = (
        "<html><head><title>Focused visit</title><script>var x = '<p>no</p>';</script></head><body>"
        "<h1>Inspection of Testshire</h1><p>Leaders &amp; managers <b>know</b> their services.</p>"
        "<ul><li>Supervision.</li><li>Caseloads.</li></ul>"
        "<table><tr><th>Judgement</th><th>Grade</th></tr><tr><td>Overall effectiveness</td><td>Good</td></tr></table>"
        "<h2>What needs to improve</h2><p>Planning.</p></body></html>"
    )
    text, title = html_to_text(html)
    assert title == "Focused visit"
    assert text.splitlines()[0] == "# Inspection of Testshire"
    assert "Leaders & managers know their services." in text
    assert "- Supervision.\n- Caseloads." in text
    assert "| Judgement | Grade |\n| --- | --- |\n| Overall effectiveness | Good |" in text
    assert "## What needs to improve\n\nPlanning." in text
    assert "no</p>" not in text
