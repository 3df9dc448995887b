"""Groups of councils a question names: an English region, a council's statistical neighbours, or a size band."""

from bot.answer import Filters
from bot.datafiles import read_rows
from bot.language.councils import local_authorities
from bot.language.groups import (
    REGIONS,
    WE,
    allowed_councils,
    councils_in,
    councils_of_size,
    neighbours_named,
    region_mentions,
    region_of,
    size_named,
    size_of,
)
from bot.language.neighbours import by_name, neighbours
from bot.retrieval.query import parse_query


def test_whose_neighbours_a_list_question_asks_across():
    """A possessive, "neighbours of", "its" after one council and "our" each say whose neighbours are meant."""
    assert parse_query("which of Reading's neighbours are outstanding?").neighbours_of == "Reading"
    assert parse_query("which of Reading’s stat neighbours are rated good?").neighbours_of == "Reading"
    assert parse_query("list the neighbours of Sheffield judged inadequate").neighbours_of == "Sheffield"
    assert parse_query("are any of Dorset and its statistical neighbours outstanding?").neighbours_of == "Dorset"
    assert parse_query("which of our neighbours are good?").neighbours_of == WE


def test_a_question_about_one_council_beside_its_neighbours_is_not_a_list_across_them():
    """"How does Reading compare with its neighbours?" is the neighbours table's, and no list names a group."""
    assert parse_query("how does Reading compare with its statistical neighbours?").neighbours_of == ""
    assert parse_query("what did Reading's neighbours say about care leavers").neighbours_of == ""
    assert neighbours_named("which councils are good?", []) == ""


def test_a_size_is_named_only_beside_a_word_for_councils():
    """"Large councils" and "the largest local authorities" name a band; "a small number of children" does not."""
    assert size_named("which large councils are inadequate?") == "large"
    assert size_named("the largest local authorities rated outstanding") == "very large"
    assert size_named("medium-sized LAs judged good") == "medium"
    assert size_named("a small number of children wait too long") == ""
    assert size_named("a large increase in referrals") == ""


def test_every_council_with_a_population_is_in_exactly_one_band_by_the_tables_bounds():
    """Each band holds the councils whose population aged 0–25 lies between its bounds, and the bands cover all."""
    bands = {row["band"]: (int(row["from"]), int(row["to"] or 10**9)) for row in read_rows("size_bands.csv")}
    for name, council in by_name().items():
        low, high = bands[size_of(name)]
        assert low <= council.population <= high, name
    assert sum(len(councils_of_size(band)) for band in bands) == len(by_name())


def test_groups_narrow_together():
    """A region, a council's neighbours and a size band each narrow the councils, and together they intersect."""
    assert allowed_councils(Filters()) is None
    reading = {c.name for c in neighbours("Reading")}
    assert allowed_councils(Filters(neighbours_of="Reading")) == reading and len(reading) == 10
    both = allowed_councils(Filters(neighbours_of="Reading", size="large"))
    assert both == {name for name in reading if size_of(name) == "large"}
    assert allowed_councils(Filters(regions=("South East",), size="small")) == {
        name for name in councils_in("South East") if size_of(name) == "small"}


def test_every_council_has_one_of_the_nine_regions():
    """Each council Ofsted inspects is in exactly one of the nine regions; London has 33."""
    regions = region_of()
    assert set(local_authorities()) == set(regions)
    assert set(regions.values()) == set(REGIONS)
    assert len(councils_in("London")) == 33 and "Kent" in councils_in("South East")


def test_regions_are_found_in_the_ways_staff_write_them():
    """'the north-west', 'London boroughs' and 'Y&H' are regions; a council's own name is not."""
    assert [r for _, _, r in region_mentions("good councils in the north-west")] == ["North West"]
    assert [r for _, _, r in region_mentions("London boroughs rated inadequate")] == ["London"]
    assert parse_query("Y&H councils judged good").regions == ("Yorkshire and The Humber",)
    assert parse_query("North Yorkshire care leavers").regions == ()
    assert parse_query("City of London care leavers").local_authorities == ("City of London",)
