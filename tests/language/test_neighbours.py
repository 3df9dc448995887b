"""The DfE's lookup of statistical neighbours, joined to the councils the bot knows."""

from bot.datafiles import read_rows
from bot.language.councils import local_authorities
from bot.language.neighbours import ONS_RECODED, by_name, councils, neighbours


def test_every_council_the_bot_knows_joins_a_row_of_the_lookup():
    """All 153 councils, however the lookup spells them ("Bristol, City of"), join exactly one row."""
    assert set(by_name()) == set(local_authorities())
    assert by_name()["Bristol"].region == "South West" and by_name()["Reading"].population > 0


def test_neighbours_are_the_lookups_ten_closest_first():
    """Each council's neighbours, read by DfE code, are the ten its row lists by ONS code, in the same order."""
    rows = {row["la_code_new"]: row for row in read_rows("la_lookup.csv")}
    checked = 0
    for name, council in by_name().items():
        column = rows[council.ons_code]["stat_neighbours_la_code"].split(",")
        listed = [ONS_RECODED.get(code.strip(), code.strip()) for code in column if code.strip()]
        assert [c.ons_code for c in neighbours(name)] == listed, name
        checked += bool(listed)
    assert checked == 153  # Bournemouth, Christchurch and Poole is read from its current row (839), not Poole's (836)


def test_councils_that_no_longer_exist_keep_their_names_and_are_no_ones_neighbour():
    """Cumbria and Northamptonshire, since replaced, stay in the lookup under their names, unknown to the bot."""
    former = {c.name for c in councils().values() if not c.known}
    assert former == {"Cumbria", "Northamptonshire"}
    assert not any(c.name in former for name in by_name() for c in neighbours(name))
