"""A grid of councils by judgements, each cell a grade: the picture of a comparison with statistical neighbours."""

from __future__ import annotations

from dataclasses import dataclass

from bot.attribution import display_date
from bot.language.grades import short_name
from bot.leaders.framework import framework_label
from bot.leaders.neighbours import Comparison


@dataclass(frozen=True)
class Grid:
    """A chart's content: its title, the councils (rows) and judgements (columns), each cell's grade or ''."""

    title: str
    rows: tuple[str, ...]  # councils, the asked one first
    columns: tuple[str, ...]  # judgements' short names
    cells: tuple[tuple[str, ...], ...]  # the grade of each row and column, '' when none is held
    inspections: tuple[str, ...]  # each row's inspection, e.g. "ILACS inspection, 4 March 2025", or why none
    asked: str

    def key(self) -> tuple:
        """What the picture depends on, as a hashable value: equal keys draw equal charts."""
        return (self.title, self.rows, self.columns, self.cells, self.inspections)

    def alt_text(self) -> str:
        """Every cell in words, council by council: what the picture shows, for a screen reader."""
        parts = [f"{self.title}."]
        for row, cells, inspection in zip(self.rows, self.cells, self.inspections, strict=True):
            grades = ", ".join(f"{column} {cell or 'no grade held'}" for column, cell in
                               zip(self.columns, cells, strict=True))
            parts.append(f"{row}{' (asked)' if row == self.asked else ''}: {grades} ({inspection}).")
        return " ".join(parts)


def grid_of(comparison: Comparison) -> Grid:
    """The comparison as a grid: the asked council and its ten neighbours by the judgements compared."""
    inspections = []
    for row in comparison.rows:
        if row.report is None:
            inspections.append("no graded inspection held" if row.held else "no reports held")
        else:
            inspections.append(f"{framework_label(row.report)}, {display_date(row.report.published)}")
    return Grid(f"{comparison.local_authority} and its statistical neighbours: latest graded inspections",
                tuple(row.local_authority for row in comparison.rows),
                tuple(short_name(j) for j in comparison.judgements),
                tuple(tuple(row.grade(j) for j in comparison.judgements) for row in comparison.rows),
                tuple(inspections), comparison.local_authority)
