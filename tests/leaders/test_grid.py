"""The grid of a council and its statistical neighbours: its cells, its words for a screen reader, its picture."""

import io

from PIL import Image

from bot.leaders.chart import draw
from bot.leaders.grid import grid_of
from bot.leaders.neighbours import compare_with_neighbours


def test_the_grid_has_a_cell_for_every_council_and_judgement_and_says_each_in_words(leaders_knowledge):
    """Eleven councils by five judgements; every cell is that council's grade, and the alt text names each one."""
    comparison = compare_with_neighbours(leaders_knowledge, "Lincolnshire")
    grid = grid_of(comparison)
    assert grid.rows == tuple(row.local_authority for row in comparison.rows) and len(grid.rows) == 11
    assert len(grid.columns) == 5 and all(len(cells) == 5 for cells in grid.cells)
    for row, cells in zip(comparison.rows, grid.cells, strict=True):
        assert cells == tuple(row.grade(j) for j in comparison.judgements)
    text = grid.alt_text()
    assert text.startswith("Lincolnshire and its statistical neighbours") and "Lincolnshire (asked):" in text
    herefordshire = grid.cells[grid.rows.index("Herefordshire")]
    assert all(f"{column} {cell}" in text for column, cell in zip(grid.columns, herefordshire, strict=True) if cell)
    assert text.count("no reports held") == sum(not row.held for row in comparison.rows)


def test_the_grid_draws_to_a_png_the_same_each_time(leaders_knowledge):
    """The picture is a PNG, and the same grid draws the same bytes."""
    grid = grid_of(compare_with_neighbours(leaders_knowledge, "Lincolnshire"))
    png = draw(grid)
    assert Image.open(io.BytesIO(png)).format == "PNG" and draw(grid) == png
