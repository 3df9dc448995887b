"""Tests for reading grades from a question and writing a grade history."""

from bot.language.grades import HELP, IMPROVE, LEAVERS, OVERALL
from bot.leaders.standing import Graded, areas_asked, grades_named, history_line
from bot.report import Report


def test_grades_are_read_in_the_ways_staff_write_them():
    """'RI', 'req imp' and 'requires improvement' are all Ofsted's 'Requires improvement to be good'."""
    assert grades_named("which councils are RI for leadership?") == [IMPROVE]
    assert grades_named("outstanding or good care leavers") == ["Outstanding", "Good"]
    assert grades_named("councils in the north west") == []


def test_areas_default_to_overall_effectiveness():
    """A question naming no judgement area asks about overall effectiveness."""
    assert areas_asked("which councils are inadequate?") == [OVERALL]
    assert areas_asked("inadequate for care leavers") == [LEAVERS]
    assert areas_asked("help and protection rated good") == [HELP]


def test_history_reads_oldest_to_newest():
    """A history names each grade with its report's year, joined by arrows."""
    old = Report("a", "t", "X", "sif_inspection", "Ofsted", "2017-03-01")
    new = Report("b", "t", "X", "ilacs_inspection", "Ofsted", "2022-05-01")
    line = history_line([Graded(old, OVERALL, "Inadequate", None), Graded(new, OVERALL, "Good", None)])
    assert line == "Inadequate 2017 → Good 2022"
