"""A council beside its statistical neighbours, on the real leaders' knowledge base."""

from bot.language.grades import GOOD, INADEQUATE, OUTSTANDING, short_name
from bot.language.neighbours import neighbours
from bot.leaders.neighbours import JUDGEMENTS, Comparison, Standing, compare_with_neighbours, count_line
from bot.leaders.standing import Graded, grade_of, graded_reports
from tests.cli.support import source_text


def test_the_table_is_the_council_then_its_ten_neighbours_each_from_its_latest_graded_report(leaders_knowledge):
    """Lincolnshire's table lists it first (marked), then the lookup's ten in order; the held ones carry the grades
    of their latest graded inspection, each quoted word for word from its report."""
    table = compare_with_neighbours(leaders_knowledge, "Lincolnshire")
    assert [r.local_authority for r in table.rows] == ["Lincolnshire", *(c.name for c in neighbours("Lincolnshire"))]
    assert [r.asked for r in table.rows] == [True] + [False] * 10
    held = [r for r in table.rows if r.report is not None]
    assert {r.local_authority for r in held} == {"Herefordshire", "Norfolk"}
    for row in held:
        latest = graded_reports(leaders_knowledge, row.local_authority)[-1]
        assert row.report == latest
        for name in JUDGEMENTS:
            expected = grade_of(latest, name, leaders_knowledge)
            assert row.grade(name) == (expected.grade if expected else "")
            if expected and expected.excerpt:
                assert expected.excerpt.text in source_text(latest.id)
    assert not table.rows[0].held and "no grade" in count_line(table, JUDGEMENTS[0])


def test_one_judgement_asked_narrows_every_row_to_it(leaders_knowledge):
    """Asked on care leavers, each row has that one grade and nothing else."""
    leavers = JUDGEMENTS[3]
    table = compare_with_neighbours(leaders_knowledge, "Lincolnshire", leavers)
    assert table.judgements == (leavers,) and all(set(r.grades) <= {leavers} for r in table.rows)


def test_the_count_line_counts_neighbours_graded_at_or_above_the_council(leaders_knowledge):
    """With the council Good, neighbours graded Outstanding or Good count; Inadequate ones and ungraded ones don't."""
    report = graded_reports(leaders_knowledge, "Herefordshire")[-1]
    overall = JUDGEMENTS[0]

    def row(name: str, grade: str, asked: bool = False) -> Standing:
        return Standing(name, asked, True, report, {overall: Graded(report, overall, grade, None)} if grade else {})

    table = Comparison("A", (overall,), [row("A", GOOD, True), row("B", OUTSTANDING), row("C", GOOD),
                                         row("D", INADEQUATE), row("E", "")])
    assert table.at_or_above(overall) == (2, 3)
    assert count_line(table, overall) == f"{short_name(overall)}: 2 of 3 neighbours with a grade are graded at or " \
                                        "above A (Good)."
