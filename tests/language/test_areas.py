"""Tests for the domain's words as data: judgement areas and report types come from their tables, and nothing
outside bot/language/ spells them in code."""

import ast
from pathlib import Path

from bot.datafiles import read_rows
from bot.language.areas import areas, current_areas
from bot.language.grades import HELP, OVERALL, SIF_ROWS, canonical_judgement, short_name
from bot.language.reports import OTHER, graded_types, held_types, report_type, report_types
from bot.retrieval.ranking import judgement_areas

PACKAGE = Path(__file__).resolve().parents[2] / "bot"


def _literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in a module that is not a docstring, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_module_outside_language_spells_an_area_or_a_report_type():
    """A judgement area's wording, an area's key or a held report type's key appears in code only under
    bot/language/ ("other" is also a kind of question, so it is left out; prose may still say "care leavers")."""
    wordings = {a.ilacs.lower() for a in areas() if a.ilacs} | {a.sif.lower() for a in areas() if a.sif}
    keys = {a.key for a in areas()} | (set(held_types()) - {OTHER})
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] == "language":
            continue
        for line, text in _literals(path):
            if text in keys or any(wording in text.lower() for wording in wordings):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} {text[:60]!r}")
    assert not offenders, offenders


def test_the_check_can_see_a_spelt_area(tmp_path):
    """The literal reader finds a string in code and skips a docstring (else the check above would pass vacuously)."""
    module = tmp_path / "m.py"
    module.write_text('"""About care leavers."""\nAREA = "care leavers"\n', encoding="utf-8")
    assert _literals(module) == [(2, "care leavers")]


def test_each_area_is_one_row_with_its_wordings_and_phrases():
    """The table gives each area's ILACS and SIF wording, short name and phrases; today's five come in order."""
    assert [a.short for a in current_areas()] == ["Overall effectiveness", "Help and protection", "Children in care",
                                                  "Care leavers", "Impact of leaders"]
    assert len(read_rows("judgement_areas.csv")) == len(areas())
    assert OVERALL == "Overall effectiveness" and short_name(HELP) == "Help and protection"
    assert "Children who need help and protection" in SIF_ROWS
    assert canonical_judgement("Children care leavers") == "The experiences and progress of care leavers"
    assert judgement_areas("how are early help and leavers doing") == ("help and protection",)
    assert judgement_areas("what about leaving care?") == ("care leavers",)


def test_each_report_type_is_one_row_that_says_what_it_is():
    """The report-type table says which kinds are held, graded, visits or secondary, with labels for each."""
    assert graded_types() == ("ilacs_inspection", "sif_inspection")
    assert "area_send" in report_types() and "area_send" not in held_types()
    assert report_type("focused_visit").visit == "focused" and report_type("news").secondary
    assert report_type("no such kind").label == "report"
