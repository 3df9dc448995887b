"""Draw a judgement history or a grid of councils' grades as a PNG, readable without colour.

A history puts grades on an ordinal axis over time; a grid colours each council's grade for each judgement.

matplotlib's object API with the Agg canvas (no pyplot, no display, no global state), so charts can be drawn on
any worker thread. Each line has an Okabe–Ito colour (safe for the common colour-vision deficiencies), its own
marker and dash, and every grade is also written beside its mark; focused visits sit on the time axis.
"""

from __future__ import annotations

import datetime as dt
import io

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.patches import Rectangle

from bot.language.grades import GOOD, GRADES, IMPROVE, INADEQUATE, OUTSTANDING
from bot.leaders.framework import framework_of
from bot.leaders.grid import Grid
from bot.leaders.history import History, Mark
from bot.report import Report

# Okabe & Ito (2008), "Color Universal Design": distinguishable with protanopia, deuteranopia and tritanopia.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 3)), (0, (8, 3, 2, 3)))
VISIT_ROW = -0.7  # where focused visits sit, below the lowest grade
DODGE = 0.012  # of the time axis, between marks that share a date and a grade, so none hides another
MARGIN = 200.0  # days either side of the first and last mark
SIZE, DPI = (9.0, 4.8), 110
TICKS = {IMPROVE: "Requires improvement\nto be good"}
WRITTEN = {IMPROVE: "Requires\nimprovement"}  # beside a mark, where "to be good" would run into the next one
SOURCE = "Source: Ofsted inspection reports (Crown copyright, Open Government Licence v3.0), via Findings."


def when(report: Report) -> float:
    """A report's publication date on matplotlib's time axis; a bare year or month is placed mid-way."""
    text = report.published
    padded = text + "-07-01" if len(text) == 4 else text + "-15" if len(text) == 7 else text
    try:
        return float(date2num(dt.date.fromisoformat(padded)))
    except ValueError:
        return float(date2num(dt.date(1970, 1, 1)))


def labels(history: History) -> list[tuple[Report, str]]:
    """The grade words written on the chart: one per report and grade, however many lines share it."""
    ordered = sorted(history.marks, key=lambda m: when(m.report))
    return list({(m.report.id, m.grade): (m.report, m.grade) for m in ordered}.values())


def style(index: int) -> dict:
    """The colour, marker and dash of the index-th line: no two of the first eight share any of them."""
    return {"color": COLOURS[index % len(COLOURS)], "marker": MARKERS[index % len(MARKERS)],
            "linestyle": DASHES[index % len(DASHES)]}


def _span(history: History) -> tuple[float, float]:
    """The time axis: from before the first thing charted to after the last."""
    xs = [when(m.report) for m in history.marks] + [when(r) for r in history.visits + history.ungraded]
    return (min(xs) - MARGIN, max(xs) + MARGIN) if xs else (0.0, 2 * MARGIN)


def _positions(history: History) -> dict[tuple[str, str], float]:
    """Where each (line, report id) mark sits in time, spreading marks that share a report and a grade."""
    start, end = _span(history)
    groups: dict[tuple[str, str], list[Mark]] = {}
    for mark in history.marks:
        groups.setdefault((mark.report.id, mark.grade), []).append(mark)
    return {(m.line, m.report.id): when(m.report) + (i - (len(group) - 1) / 2) * DODGE * (end - start)
            for group in groups.values() for i, m in enumerate(group)}


def draw(picture: History | Grid) -> bytes:
    """The chart as PNG bytes: a judgement history over time, or a grid of councils by judgements."""
    if isinstance(picture, Grid):
        return draw_grid(picture)
    history = picture
    # Room at the foot for the notes, which constrained layout does not place itself.
    figure = Figure(figsize=SIZE, dpi=DPI, layout=ConstrainedLayoutEngine(rect=(0, 0.07, 1, 0.93)))
    axes = figure.add_subplot()
    at = _positions(history)
    for i, line in enumerate(history.lines):
        marks = sorted((m for m in history.marks if m.line == line), key=lambda m: when(m.report))
        axes.plot([at[m.line, m.report.id] for m in marks], [m.level for m in marks], label=line, markersize=8,
                  linewidth=1.6, markeredgecolor="white", markeredgewidth=0.8, **style(i))
    for report, grade in labels(history):
        axes.annotate(WRITTEN.get(grade, grade), (when(report), len(GRADES) - 1 - GRADES.index(grade)),
                      xytext=(0, 9), textcoords="offset points", ha="center", va="bottom", fontsize=7.5,
                      color="#222222", linespacing=1.0)
    # Each graded inspection's framework, small at the foot of the plot: a grade reads differently by framework.
    graded = {m.report.id: m.report for m in history.marks} | {r.id: r for r in history.ungraded}
    for report in graded.values():
        found = framework_of(report)
        if found:
            axes.annotate(found.short, (when(report), -0.5), xytext=(0, 2), textcoords="offset points", ha="center",
                          va="bottom", fontsize=6.5, color="#555555")
    if history.visits:
        xs = [when(r) for r in history.visits]
        axes.plot(xs, [VISIT_ROW] * len(xs), linestyle="none", marker="^", color="#555555", markersize=7,
                  label="Focused visit (not graded)")
        for x in xs:
            axes.axvline(x, color="#999999", linewidth=0.6, linestyle=":", zorder=0)
    _axes(axes, history)
    figure.suptitle(history.title, fontsize=12, x=0.01, ha="left")
    notes = [history.note(), SOURCE] if history.ungraded else [SOURCE]
    figure.text(0.01, 0.01, "\n".join(notes), fontsize=7, color="#444444", ha="left", va="bottom")
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})  # no version stamp: the same chart, same bytes
    return out.getvalue()


# A grid's cell colour by grade, from the same Okabe–Ito palette; the grade is also written in every cell.
CELL = {OUTSTANDING: "#009E73", GOOD: "#56B4E9", IMPROVE: "#E69F00", INADEQUATE: "#D55E00"}


def draw_grid(grid: Grid) -> bytes:
    """Councils by judgements, each cell coloured by its grade with the grade written in it, as PNG bytes."""
    rows, columns = len(grid.rows), len(grid.columns)
    figure = Figure(figsize=(10.5, 1.6 + 0.42 * rows), dpi=DPI,
                    layout=ConstrainedLayoutEngine(rect=(0, 0.06, 1, 0.94)))
    axes = figure.add_subplot()
    for r, cells in enumerate(grid.cells):
        for c, grade in enumerate(cells):
            axes.add_patch(Rectangle((c, r), 1, 1, facecolor=CELL.get(grade, "#ffffff"), edgecolor="#ffffff",
                                     linewidth=2))
            axes.text(c + 0.5, r + 0.5, WRITTEN.get(grade, grade) or "—", ha="center", va="center", fontsize=7.5,
                      color="#000000", linespacing=1.0)
        axes.text(columns + 0.08, r + 0.5, grid.inspections[r], ha="left", va="center", fontsize=7.5,
                  color="#444444")
    axes.set_xlim(0, columns)
    axes.set_ylim(rows, 0)
    axes.set_xticks([c + 0.5 for c in range(columns)], grid.columns, fontsize=8.5)
    axes.xaxis.tick_top()
    names = [f"{name} (asked)" if name == grid.asked else name for name in grid.rows]
    axes.set_yticks([r + 0.5 for r in range(rows)], names, fontsize=8.5)
    for tick in axes.get_yticklabels():
        tick.set_fontweight("bold" if tick.get_text().endswith("(asked)") else "normal")
    axes.tick_params(length=0)
    axes.spines[:].set_visible(False)
    figure.suptitle(grid.title, fontsize=12, x=0.01, ha="left")
    figure.text(0.01, 0.01, "Statistical neighbours: Department for Education, closest first. " + SOURCE,
                fontsize=7, color="#444444", ha="left", va="bottom")
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _axes(axes, history: History) -> None:
    """Grade names on the ordinal axis, dates on the other, room for the visits row, and the legend."""
    ticks, names = list(range(len(GRADES))), [TICKS.get(g, g) for g in reversed(GRADES)]
    if history.visits:
        ticks, names = [VISIT_ROW, *ticks], ["Focused visits", *names]
    axes.set_yticks(ticks, names, fontsize=8.5)
    axes.set_ylim(VISIT_ROW - 0.5 if history.visits else -0.5, len(GRADES) - 0.4)
    axes.grid(axis="y", color="#dddddd", linewidth=0.8)
    axes.set_axisbelow(True)
    axes.set_xlim(*_span(history))
    locator = AutoDateLocator(minticks=3, maxticks=10)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.spines[["top", "right"]].set_visible(False)
    if not history.marks:
        axes.text(0.5, 0.6, "No graded inspection in the reports held", transform=axes.transAxes, ha="center",
                  fontsize=10, color="#444444")
    if history.lines or history.visits:
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
