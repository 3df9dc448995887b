"""Tests for the English regions: the data file and finding a region in a question."""

from bot.language.councils import local_authorities
from bot.language.regions import REGIONS, councils_in, region_mentions, region_of
from bot.retrieval.query import parse_query


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
