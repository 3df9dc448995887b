"""Tests for drawing the judgement-history chart: a real PNG, each line told apart without colour."""

import io

from PIL import Image

from bot.language.grades import LEAVERS
from bot.leaders.chart import COLOURS, DPI, SIZE, draw, labels, style
from bot.leaders.history import MAX_COUNCILS, comparison, council_history


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def test_the_chart_is_a_png_of_the_set_size(leaders_knowledge) -> None:
    """draw() gives PNG bytes that decode to a 9 × 4.8 inch picture at 110 dpi."""
    png = draw(council_history(leaders_knowledge, "Herefordshire"))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert _image(png).size == (round(SIZE[0] * DPI), round(SIZE[1] * DPI))


def test_each_line_is_drawn_in_its_own_colour(leaders_knowledge) -> None:
    """Comparing three councils paints each one's Okabe–Ito colour; the fourth colour, for no line, is absent."""
    image = _image(draw(comparison(leaders_knowledge, ["Liverpool", "Herefordshire", "Norfolk"], LEAVERS)))
    pixels = {colour for _, colour in image.getcolors(1 << 20)}
    rgb = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in COLOURS]
    assert all(colour in pixels for colour in rgb[:3]) and rgb[3] not in pixels


def test_no_two_of_eight_lines_share_a_colour_a_marker_or_a_dash() -> None:
    """Up to eight lines stay distinguishable by marker and dash alone, for a reader who cannot tell colours."""
    styles = [style(i) for i in range(MAX_COUNCILS)]
    for key in ("color", "marker", "linestyle"):
        assert len({str(s[key]) for s in styles}) == MAX_COUNCILS, key


def test_every_grade_is_written_once_per_inspection(leaders_knowledge) -> None:
    """The grade words drawn are one per (report, grade), covering every mark, oldest first."""
    history = council_history(leaders_knowledge, "Liverpool")
    written = labels(history)
    assert {(r.id, g) for r, g in written} == {(m.report.id, m.grade) for m in history.marks}
    assert len(written) == len({(r.id, g) for r, g in written})
    assert [r.published for r, _ in written] == sorted(r.published for r, _ in written)


def test_the_same_history_draws_the_same_bytes(leaders_knowledge) -> None:
    """No timestamp or version is stamped in, so a chart can be compared and cached by its bytes."""
    history = council_history(leaders_knowledge, "Norfolk")
    assert draw(history) == draw(history)


def test_a_council_with_nothing_graded_still_gets_a_picture(leaders_knowledge) -> None:
    """Essex (focused visits only) draws a chart that says nothing graded is held, rather than failing."""
    assert _image(draw(council_history(leaders_knowledge, "Essex"))).size[0] > 0
